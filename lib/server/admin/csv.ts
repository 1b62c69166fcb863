import "server-only";
/**
 * CSV for incident reports: RFC 4180 (CRLF line ends, fields with a comma,
 * quote or line break quoted, quotes doubled), and safe to open in a
 * spreadsheet.
 */

// Why: spreadsheets run a cell that starts with = + - @ (or a tab or carriage return, which
// they skip first) as a formula; an audit entry holds text an attacker may have chosen (a
// user agent, a username), so such a cell gets a leading ' and stays text.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: ReadonlyArray<string | number | null | undefined>): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/**
 * Instants as SQLite text. Django stores `expire_date` naive UTC as
 * `YYYY-MM-DD HH:MM:SS[.ffffff]` (fraction omitted when zero); being fixed
 * width up to the seconds, text comparison orders it like time. The meta
 * table's columns are written the way Prisma's SQLite adapter writes them
 * (ISO 8601 with `+00:00`), so both doors read the same values.
 */

const pad2 = (n: number) => (n < 10 ? "0" + n : String(n));

/** Django's SQLite text form of an instant, in UTC. */
export function formatSqliteDate(date: Date): string {
  const y = date.getUTCFullYear();
  const text =
    (y < 1000 ? String(y).padStart(4, "0") : String(y)) + "-" + pad2(date.getUTCMonth() + 1) + "-" + pad2(date.getUTCDate()) +
    " " + pad2(date.getUTCHours()) + ":" + pad2(date.getUTCMinutes()) + ":" + pad2(date.getUTCSeconds());
  const ms = date.getUTCMilliseconds();
  return ms === 0 ? text : text + "." + (ms < 10 ? "00" : ms < 100 ? "0" : "") + ms + "000";
}

/** Prisma's SQLite DateTime text (`2024-01-02T03:04:05.678+00:00`). */
export function formatPrismaSqliteDate(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

const digits = (s: string, from: number, to: number): number => {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return n;
};

/**
 * Reads either text form (naive values are UTC, an offset is honoured) or a
 * number of milliseconds (Prisma's `unixepoch-ms` option).
 */
export function parseSqliteDate(value: unknown): Date {
  if (typeof value === "number" || typeof value === "bigint") return new Date(Number(value));
  if (typeof value !== "string" || value.length < 19) throw new TypeError(`SessionScope: unreadable SQLite date ${String(value)}`);
  let ms = Date.UTC(digits(value, 0, 4), digits(value, 5, 7) - 1, digits(value, 8, 10), digits(value, 11, 13), digits(value, 14, 16), digits(value, 17, 19));
  let i = 19;
  if (value.charCodeAt(i) === 46 /* . */) {
    let scale = 100;
    for (i++; i < value.length; i++) {
      const c = value.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      ms += c * scale;
      scale /= 10;
    }
    ms = Math.floor(ms);
  }
  const tz = value.slice(i);
  if (tz.length === 6 && (tz[0] === "+" || tz[0] === "-")) {
    const offset = (digits(tz, 1, 3) * 60 + digits(tz, 4, 6)) * 60_000;
    ms += tz[0] === "+" ? -offset : offset;
  } else if (tz !== "" && tz !== "Z") {
    ms = NaN;
  }
  if (Number.isNaN(ms)) throw new TypeError(`SessionScope: unreadable SQLite date ${value}`);
  return new Date(ms);
}

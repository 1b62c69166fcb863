import { describe, expect, it } from "vitest";
import { csvCell, csvRow } from "./csv.ts";

describe("CSV cells (RFC 4180)", () => {
  it("leaves plain text and numbers alone, and empties nulls", () => {
    expect(csvRow(["session.kill", 3, null, undefined, "alice"])).toBe("session.kill,3,,,alice\r\n");
  });

  it("quotes commas, quotes and line breaks, doubling quotes", () => {
    expect(csvCell('Mozilla/5.0 (X11; Linux x86_64) "quoted", then more')).toBe('"Mozilla/5.0 (X11; Linux x86_64) ""quoted"", then more"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("cr\r\nlf")).toBe('"cr\r\nlf"');
  });

  it("keeps a spreadsheet from running a cell as a formula", () => {
    expect(csvCell("=HYPERLINK(\"http://evil.example\")")).toBe("\"'=HYPERLINK(\"\"http://evil.example\"\")\"");
    expect(csvCell("+1-555")).toBe("'+1-555");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\t=1")).toBe("'\t=1");
    expect(csvCell("a=b")).toBe("a=b");
  });
});

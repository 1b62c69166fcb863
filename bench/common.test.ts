import { describe, expect, it } from "vitest";
import { parseArgs } from "./common.ts";

describe("bench arguments", () => {
  it("reads --name value and --name=value", () => {
    expect([...parseArgs(["--rows", "50000", "--layout=seed"])]).toEqual([["rows", "50000"], ["layout", "seed"]]);
  });

  it("takes a flag before another option as a flag, not as that option's value (npm run bench passes --write first)", () => {
    const args = parseArgs(["--write", "--seconds", "0.3", "--rounds", "1", "--strict"]);
    expect(args.get("write")).toBe("");
    expect(args.get("seconds")).toBe("0.3");
    expect(args.get("rounds")).toBe("1");
    expect(args.has("strict")).toBe(true);
  });

  it("refuses a stray value", () => {
    expect(() => parseArgs(["0.3"])).toThrow(/unexpected argument 0\.3/);
  });
});

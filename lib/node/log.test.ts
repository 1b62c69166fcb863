import { describe, expect, it } from "vitest";
import { rateLimited } from "./log.ts";

describe("rateLimited", () => {
  it("writes at most `limit` lines a window and then says how many it dropped", () => {
    let now = 0;
    const lines: string[] = [];
    const write = rateLimited((line) => lines.push(line), { limit: 2, windowMs: 60_000, clock: () => now });
    for (let i = 1; i <= 1000; i++) write(`line ${i}`);
    expect(lines).toEqual(["line 1", "line 2"]);

    now += 59_999;
    write("still the same minute");
    expect(lines).toHaveLength(2);

    now += 1;
    write("next minute");
    write("and again");
    write("over the limit");
    expect(lines).toEqual(["line 1", "line 2", "next minute (999 similar lines not logged before this one)", "and again"]);
  });
});

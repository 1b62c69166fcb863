// The progress bar as a terminal receives it, and its absence everywhere else.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { withProgress } from "./progress.ts";

/** Collects what is written; `isTTY` as a terminal's stream (or a pipe's) reports it. */
function stream(isTTY: boolean) {
  const chunks: string[] = [];
  const writable = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  Object.assign(writable, { isTTY, columns: 100 });
  return { stream: writable as unknown as NodeJS.WriteStream, text: () => chunks.join("") };
}

function timers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
}

describe("withProgress", () => {
  it("draws a bar with the share done and a grouped count on a terminal, then clears its line", async () => {
    const terminal = stream(true);
    const result = await withProgress("Seeding sessions", 20_000, terminal.stream, async (report) => {
      for (let done = 1_000; done <= 20_000; done += 1_000) report(done);
      return "seeded";
    });
    expect(result).toBe("seeded");
    const text = terminal.text();
    expect(text).toContain(`Seeding sessions [${".".repeat(30)}]   0% 0`);
    expect(text).toContain(`Seeding sessions [${"#".repeat(30)}] 100% 20,000`);
    // The line is cleared at the end, so the command's own final line stands alone.
    expect(text.endsWith("\x1b[2K")).toBe(true);
  });

  it("shows a running count when the total is unknown", async () => {
    const terminal = stream(true);
    await withProgress("Deleting expired sessions", null, terminal.stream, async (report) => report(12_345));
    expect(terminal.text()).toContain("Deleting expired sessions 12,345");
    expect(terminal.text()).not.toMatch(/\[[#.]|%/);
  });

  it("writes nothing to a pipe or a file, and runs the task all the same", async () => {
    const pipe = stream(false);
    const seen: number[] = [];
    expect(await withProgress("Seeding sessions", 3, pipe.stream, async (report) => [1, 2, 3].map((n) => (report(n), seen.push(n))).length)).toBe(3);
    expect(await withProgress("Seeding sessions", 3, null, async () => "no stream")).toBe("no stream");
    expect(pipe.text()).toBe("");
    expect(seen).toEqual([1, 2, 3]);
  });

  it("stops the bar when the task fails, leaving no timer that would keep the process alive", async () => {
    const terminal = stream(true);
    const before = timers();
    await expect(
      withProgress("Deleting expired sessions", 10, terminal.stream, async (report) => {
        report(4);
        throw new Error("database went away");
      }),
    ).rejects.toThrow("database went away");
    expect(timers()).toBe(before);
    expect(terminal.text().endsWith("\x1b[2K")).toBe(true);
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseBenchLine, parseVerdictLine, runBench } from "./child.ts";
import { Teardown } from "./services.ts";

const MEASURED = '{"impl":"django","engine":"db","backend":"postgresql","durability":"-","op":"load","ops_per_sec":10,"us_per_op":100000,"n":5}';
const SKIPPED = '{"impl":"sessionscope","engine":"?","backend":"redis","skipped":true,"reason":"no server"}';

describe("bench output lines", () => {
  it("keeps measurements and skips as printed, key order included", () => {
    expect(JSON.stringify(parseBenchLine(MEASURED))).toBe(MEASURED);
    expect(JSON.stringify(parseBenchLine(SKIPPED))).toBe(SKIPPED);
  });

  it("treats anything else as plain output", () => {
    expect(parseBenchLine("warming up")).toBeNull();
    expect(parseBenchLine('{"impl":"django"}')).toBeNull();
    expect(parseBenchLine('{"impl":"django","engine":"db","backend":"none","durability":"-","op":"load","ops_per_sec":"fast","us_per_op":1,"n":1}')).toBeNull();
  });
});

const VERDICT = '{"verdict":"request-cost/saturation","target":"session route ≥ 0.8 of the plain route\'s req/s","result":"0.73","met":false,"section":"What a session costs a request"}';

describe("verdict lines", () => {
  it("keeps a section bench's verdict as printed", () => {
    expect(JSON.stringify(parseVerdictLine(VERDICT))).toBe(VERDICT);
    expect(parseVerdictLine(VERDICT)).toMatchObject({ verdict: "request-cost/saturation", met: false });
  });

  it("is neither a measurement nor plain output, and a measurement is no verdict", () => {
    expect(parseBenchLine(VERDICT)).toBeNull();
    expect(parseVerdictLine(MEASURED)).toBeNull();
    expect(parseVerdictLine("met: yes")).toBeNull();
  });

  it("wants every field, and met as a boolean", () => {
    expect(parseVerdictLine(VERDICT.replace('"met":false', '"met":"no"'))).toBeNull();
    expect(parseVerdictLine(VERDICT.replace(',"section":"What a session costs a request"', ""))).toBeNull();
  });
});

/** Whether the process has died: no such process, or a zombie its new parent has not reaped yet. Waits up to 10 s (a loaded machine). */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    const state = (() => {
      try {
        return readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "")[0];
      } catch {
        return undefined;
      }
    })();
    if (state === "Z" || state === "X") return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

describe("running a bench process", () => {
  it("collects its lines and reports a failed exit with its stderr", async () => {
    const script = `console.log(${JSON.stringify(MEASURED)}); console.log("chatter"); console.error("boom"); process.exit(3);`;
    const run = await runBench("test", process.execPath, ["-e", script], { env: {}, teardown: new Teardown() });
    expect(run.ok).toBe(false);
    expect(run.lines).toHaveLength(1);
    expect(run.lines[0]).toMatchObject({ impl: "django", op: "load" });
    expect(run.verdicts).toHaveLength(0);
    expect(run.stderr).toBe("boom");
  });

  it("collects a section bench's verdicts apart from its measurements", async () => {
    const script = `console.log(${JSON.stringify(VERDICT)}); console.log("| a table row |");`;
    const run = await runBench("test", process.execPath, ["-e", script], { env: {}, teardown: new Teardown() });
    expect(run.ok).toBe(true);
    expect(run.lines).toHaveLength(0);
    expect(run.verdicts).toEqual([JSON.parse(VERDICT)]);
  });

  it("kills a process that outlives its timeout, and what it started (as tsx starts node)", async () => {
    const script = `const c = require("node:child_process").spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
      console.error(c.pid); setInterval(() => {}, 1000);`;
    const run = await runBench("test", process.execPath, ["-e", script], { env: {}, teardown: new Teardown(), timeoutMs: 1000 });
    expect(run.ok).toBe(false);
    expect(run.stderr).toContain("(killed after 1 s)");
    const grandchild = Number(run.stderr.split("\n")[0]);
    expect(grandchild).toBeGreaterThan(0);
    expect(await gone(grandchild)).toBe(true);
  });

  it("at its timeout lets a bench stop what it started (SIGTERM), and kills one that does not stop (SIGKILL after the grace)", async () => {
    const polite = `process.on("SIGTERM", () => { console.error("stopping my servers"); process.exit(130); }); setInterval(() => {}, 1000);`;
    const run = await runBench("test", process.execPath, ["-e", polite], { env: {}, teardown: new Teardown(), timeoutMs: 500, graceMs: 5000 });
    expect(run.ok).toBe(false);
    expect(run.stderr).toContain("stopping my servers");
    const stubborn = `process.on("SIGTERM", () => console.error("not stopping")); setInterval(() => {}, 1000);`;
    const stuck = await runBench("test", process.execPath, ["-e", stubborn], { env: {}, teardown: new Teardown(), timeoutMs: 500, graceMs: 500 });
    expect(stuck.ok).toBe(false);
    expect(stuck.stderr).toContain("not stopping");
  });

  it("reports a program that cannot start", async () => {
    const run = await runBench("test", "/nonexistent/python3", [], { env: {}, teardown: new Teardown() });
    expect(run.ok).toBe(false);
    expect(run.lines).toHaveLength(0);
  });
});

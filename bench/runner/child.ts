/**
 * Runs one bench process (Django's script, or a TypeScript bench through tsx)
 * and collects the JSON lines it prints, echoing each as it arrives.
 */
import { spawn } from "node:child_process";
import type { ResultLine, SkipLine, VerdictLine } from "../common.ts";
import { fmtOps } from "../report/format.ts";
import { ROOT } from "./options.ts";
import { CHILD_GRACE_MS, killGroup, signalGroup, type Teardown } from "./services.ts";

export type BenchLine = ResultLine | SkipLine;

export interface ProcessRun {
  readonly label: string;
  readonly ok: boolean;
  readonly lines: readonly BenchLine[];
  /** The issue-13 verdicts a section bench printed (see bench/report/targets.ts). */
  readonly verdicts: readonly VerdictLine[];
  readonly stderr: string;
  readonly seconds: number;
}

export const isSkip = (line: BenchLine): line is SkipLine => "skipped" in line && line.skipped;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;
const strings = (o: Record<string, unknown>, keys: readonly string[]) => keys.every((k) => typeof o[k] === "string");
const numbers = (o: Record<string, unknown>, keys: readonly string[]) => keys.every((k) => typeof o[k] === "number");

/** A line of output as a JSON object, or null when it is not one. */
function jsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

/** A measurement or skip line, kept as printed (same key order), or null for any other output. */
export function parseBenchLine(text: string): BenchLine | null {
  const value = jsonObject(text);
  if (!value || !strings(value, ["impl", "engine", "backend"])) return null;
  if (value.skipped === true) return typeof value.reason === "string" ? (value as unknown as SkipLine) : null;
  const measured = strings(value, ["durability", "op"]) && numbers(value, ["ops_per_sec", "us_per_op", "n"]);
  const store = value.store === undefined || typeof value.store === "string";
  return measured && store ? (value as unknown as ResultLine) : null;
}

/** A section bench's verdict line, kept as printed, or null for any other output. */
export function parseVerdictLine(text: string): VerdictLine | null {
  const value = jsonObject(text);
  if (!value || !strings(value, ["verdict", "target", "result", "section"]) || typeof value.met !== "boolean") return null;
  return value as unknown as VerdictLine;
}

const indent = (text: string) => text.split("\n").map((l) => `    ${l}`).join("\n");

function echo(label: string, line: BenchLine): void {
  if (isSkip(line)) console.log(`  ${label.padEnd(34)} skipped: ${line.reason.split("\n")[0]}`);
  else {
    console.log(
      `  ${label.padEnd(34)} ${line.engine.padEnd(9)} ${line.op.padEnd(17)} ${fmtOps(line.ops_per_sec).padStart(9)} ops/s ${line.us_per_op.toFixed(1).padStart(9)} µs`,
    );
  }
}

export interface RunBenchOptions {
  readonly env: Readonly<Record<string, string>>;
  readonly teardown: Teardown;
  readonly timeoutMs?: number;
  /** After the timeout's SIGTERM, how long before SIGKILL (the child stops the servers it started). */
  readonly graceMs?: number;
}

/** Never rejects: a crash, a timeout or a missing program is a run with `ok: false`. */
export function runBench(label: string, command: string, args: readonly string[], options: RunBenchOptions): Promise<ProcessRun> {
  const { env, teardown, timeoutMs = 180_000, graceMs = CHILD_GRACE_MS } = options;
  return new Promise((resolve) => {
    const started = Date.now();
    // Its own process group, so that a timeout or the teardown also stops what it started (see killGroup).
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    teardown.trackChild(child);
    const lines: BenchLine[] = [];
    const verdicts: VerdictLine[] = [];
    let buffer = "";
    let stderr = "";
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const text = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!text) continue;
        const line = parseBenchLine(text);
        const verdict = line ? null : parseVerdictLine(text);
        if (line) {
          lines.push(line);
          echo(label, line);
        } else if (verdict) {
          verdicts.push(verdict);
          console.log(`  ${label}: ${verdict.met ? "met" : "MISSED"} ${verdict.verdict}: ${verdict.result}`);
        } else console.log(`  ${label}: ${text}`);
      }
    });
    child.stderr.on("data", (chunk: string) => (stderr += chunk));
    // At the timeout SIGTERM, so that a section bench's own teardown stops its servers; SIGKILL after the grace.
    let kill: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${timeoutMs / 1000} s)`;
      signalGroup(child, "SIGTERM");
      kill = setTimeout(() => killGroup(child), graceMs);
    }, timeoutMs);
    const finish = (ok: boolean, message: string, seconds: number) => {
      clearTimeout(timer);
      // The group may outlive its leader (tsx's node process): SIGKILL what is left once the leader has gone.
      if (kill) {
        clearTimeout(kill);
        killGroup(child);
      }
      teardown.forgetChild(child);
      resolve({ label, ok, lines, verdicts, stderr: message, seconds });
    };
    child.on("close", (code, signal) => {
      const ok = code === 0;
      if (!ok) console.error(`  ${label}: exited with ${signal ?? code}\n${indent(stderr.trim())}`);
      else if (stderr.trim()) console.error(indent(stderr.trim()));
      finish(ok, stderr.trim(), (Date.now() - started) / 1000);
    });
    child.on("error", (error) => finish(false, error.message, 0));
  });
}

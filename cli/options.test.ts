// The command line's options as a user types them: both spellings of a value,
// repeatable keys, `--`, help, and one-line usage errors with exit status 2.
import { describe, expect, it } from "vitest";
import { CLEARSESSIONS_HELP } from "./clearsessions.ts";
import { DECODE_HELP } from "./decode.ts";
import { ENCODE_HELP } from "./encode.ts";
import { runCli } from "./index.ts";
import type { CliIo } from "./io.ts";
import { SEED_HELP } from "./seed.ts";

const SIGNED_AT = 1_700_000_000;
const KEY = "options-test-secret-key";

function capture(nowSeconds = SIGNED_AT) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (l) => out.push(l), stderr: (l) => err.push(l), now: () => new Date(nowSeconds * 1000) };
  return { io, out, err };
}

async function run(argv: string[], nowSeconds = SIGNED_AT) {
  const { io, out, err } = capture(nowSeconds);
  const status = await runCli(argv, {}, io);
  return { status, out, err };
}

async function encodeWith(key: string, json = '{"foo":"bar"}'): Promise<string> {
  const { status, out } = await run(["encode", "--secret-key", key, "--timestamp", String(SIGNED_AT), "--", json]);
  expect(status).toBe(0);
  return out[0]!;
}

describe("option values", () => {
  it.each([[["--max-age", "60"]], [["--max-age=60"]]])("decode %j accepts a value signed 60 s ago and rejects one signed 61 s ago", async (maxAge) => {
    const value = await encodeWith(KEY);
    const fresh = await run(["decode", "--secret-key", KEY, ...maxAge, value], SIGNED_AT + 60);
    expect(fresh).toEqual({ status: 0, out: ['{"foo":"bar"}'], err: [] });
    const stale = await run(["decode", "--secret-key", KEY, ...maxAge, value], SIGNED_AT + 61);
    expect(stale.status).toBe(1);
    expect(stale.err).toHaveLength(1);
    expect(stale.err[0]).toMatch(/^decode: .*age/);
  });

  it("decode takes every --fallback-key given, in either spelling", async () => {
    const value = await encodeWith("the-old-key");
    const both = await run(["decode", "--secret-key", KEY, "--fallback-key", "another-old-key", "--fallback-key=the-old-key", value]);
    expect(both).toEqual({ status: 0, out: ['{"foo":"bar"}'], err: [] });
    const wrongOnly = await run(["decode", "--secret-key", KEY, "--fallback-key", "another-old-key", value]);
    expect(wrongOnly.status).toBe(1);
  });

  it("takes a value that starts with a dash, and `--` ends the options", async () => {
    const value = await encodeWith("-a-key-with-a-leading-dash", "-5");
    expect(await run(["decode", "--secret-key", "-a-key-with-a-leading-dash", "--", value])).toEqual({ status: 0, out: ["-5"], err: [] });
    const viaDashes = await run(["encode", "--secret-key", "-a-key-with-a-leading-dash", "--timestamp", String(SIGNED_AT), "--", "-5"]);
    expect(viaDashes.out).toEqual([value]);
  });

  it("encode --no-compress is a flag", async () => {
    const long = JSON.stringify({ text: "x".repeat(200) });
    const compressed = await run(["encode", "--secret-key", KEY, long]);
    const plain = await run(["encode", "--secret-key", KEY, "--no-compress", long]);
    expect(compressed.out[0]).toMatch(/^\./);
    expect(plain.out[0]).toMatch(/^eyJ/);
  });
});

describe("help", () => {
  it.each([
    ["decode", DECODE_HELP, ["--salt", "s"]],
    ["encode", ENCODE_HELP, ["--timestamp", "1"]],
    ["clearsessions", CLEARSESSIONS_HELP, ["--batch-size", "9"]],
    ["seed", SEED_HELP, ["--sessions", "5"]],
  ] as const)("%s prints its help for --help and -h, exit 0, even among other options", async (command, help, other) => {
    for (const argv of [["--help"], ["-h"], [...other, "--help"], ["-h", ...other, "-h"]]) {
      expect(await run([command, ...argv])).toEqual({ status: 0, out: [help], err: [] });
    }
  });

  it("documents each command's options", () => {
    expect(DECODE_HELP).toMatch(/--secret-key K[\s\S]*--fallback-key K[\s\S]*--salt S[\s\S]*--max-age SECONDS/);
    expect(ENCODE_HELP).toMatch(/--secret-key K[\s\S]*--salt S[\s\S]*--timestamp UNIX[\s\S]*--no-compress/);
    expect(CLEARSESSIONS_HELP).toMatch(/^Usage: sessionscope clearsessions \[--batch-size N\]$/m);
    expect(SEED_HELP).toMatch(/^Usage: sessionscope seed --sessions N \[--users M\] \[--expired PERCENT\]$/m);
  });
});

describe("usage errors: one line on stderr, exit 2, nothing on stdout", () => {
  it.each([
    [["decode", "--secret-key", KEY, "--nope", "v"], "decode: unknown option --nope (see --help)"],
    [["decode", "--secret-key", KEY, "-x", "v"], "decode: unknown option -x (see --help)"],
    [["decode", "--secret-key", KEY, "v", "--max-age"], "decode: --max-age needs a value (see --help)"],
    [["decode", "--secret-key", KEY, "--salt", "a", "--salt=b", "v"], "decode: --salt given twice (see --help)"],
    [["decode", "--secret-key", KEY, "--verbose=yes", "v"], "decode: --verbose takes no value (see --help)"],
    [["decode", "--secret-key", KEY, "--max-age", "-5", "v"], "decode: --max-age must be a number of seconds (see --help)"],
    [["decode", "--secret-key", KEY, "--max-age", "soon", "v"], "decode: --max-age must be a number of seconds (see --help)"],
    [["decode", "--secret-key", KEY, "a", "b"], "decode: expected exactly one VALUE (see --help)"],
    [["encode", "--secret-key", KEY, "--timestamp", "1", "--timestamp", "2", "{}"], "encode: --timestamp given twice (see --help)"],
    [["encode", "--secret-key", KEY, "--no-compress=1", "{}"], "encode: --no-compress takes no value (see --help)"],
    [["encode", "--secret-key", KEY, "--timestamp", "yesterday", "{}"], "encode: --timestamp must be Unix seconds (see --help)"],
    [["encode", "--secret-key"], "encode: --secret-key needs a value (see --help)"],
    [["clearsessions", "--batch-size"], "clearsessions: --batch-size needs a value"],
    [["clearsessions", "--batch-size", "1", "--batch-size", "2"], "clearsessions: --batch-size given twice"],
    [["clearsessions", "--batch-siz", "5"], "clearsessions: unknown option --batch-siz"],
    [["clearsessions", "old"], "clearsessions: unexpected argument old"],
    [["seed", "--sessions", "0"], "seed: --sessions must be at least 1"],
    [["seed", "--sessions", "5", "--users", "many"], "seed: --users must be a whole number from 0 to 100000"],
    [["seed", "--sessions", "5", "--expired", "101"], "seed: --expired must be a whole number from 0 to 100"],
    [["seed", "--sessions", "5", "--expired="], "seed: --expired must be a whole number from 0 to 100"],
    [["seed", "--users", "5"], "seed: --sessions is required"],
  ])("%j", async (argv, message) => {
    expect(await run(argv)).toEqual({ status: 2, out: [], err: [message] });
  });

  it.each(["0", "-1", "1.5", "abc", "", "100001"])("clearsessions --batch-size %j", async (size) => {
    const expected = { status: 2, out: [], err: ["clearsessions: --batch-size must be a whole number from 1 to 100000"] };
    expect(await run(["clearsessions", "--batch-size", size])).toEqual(expected);
    expect(await run(["clearsessions", `--batch-size=${size}`])).toEqual(expected);
  });
});

import { describe, expect, it } from "vitest";
import { BACKENDS, type BenchEnv, parseRunOptions, UsageError } from "./options.ts";

const parse = (argv: string[], env: BenchEnv = {}) => {
  const options = parseRunOptions(argv, env);
  if (options === "help") throw new Error("unexpected help");
  return options;
};

describe("npm run bench options", () => {
  it("runs every backend, 3 rounds of 1.5 s after 0.5 s, into docs/benchmarks.md by default", () => {
    const options = parse([]);
    expect(options).toMatchObject({ seconds: 1.5, warmup: 0.5, rounds: 3, only: [...BACKENDS], strict: false, timingGiven: false });
    expect(options.sections).toEqual(["codec3", "store-sizes", "write-breakdown", "redis-breakdown", "cli", "clearsessions", "seed", "request-cost"]);
    expect(options.out).toMatch(/docs\/benchmarks\.md$/);
  });

  it("takes its defaults from BENCH_SECONDS, BENCH_WARMUP and BENCH_ROUNDS, and flags over them", () => {
    expect(parse([], { BENCH_SECONDS: "3", BENCH_WARMUP: "0", BENCH_ROUNDS: "5" })).toMatchObject({ seconds: 3, warmup: 0, rounds: 5 });
    expect(parse(["--seconds", "0.3", "--rounds=1"], { BENCH_SECONDS: "3", BENCH_ROUNDS: "5" })).toMatchObject({ seconds: 0.3, rounds: 1 });
  });

  it("hands the timing on to the section benches only when it was given", () => {
    expect(parse(["--seconds", "0.3"]).timingGiven).toBe(true);
    expect(parse([], { BENCH_ROUNDS: "1" }).timingGiven).toBe(true);
    expect(parse(["--only", "codec"]).timingGiven).toBe(false);
  });

  it("runs the section benches asked for, always in their own order, or none", () => {
    expect(parse(["--sections", "request-cost, codec3"]).sections).toEqual(["codec3", "request-cost"]);
    expect(parse(["--sections", "none"]).sections).toEqual([]);
    expect(parse(["--only", "none", "--sections", "cli"])).toMatchObject({ only: [], sections: ["cli"] });
  });

  it("reads --only, --out and --strict", () => {
    const options = parse(["--only", "codec, redis", "--out=/tmp/report.md", "--strict"]);
    expect(options).toMatchObject({ only: ["codec", "redis"], out: "/tmp/report.md", strict: true });
  });

  it("runs at least one round", () => {
    expect(parse(["--rounds", "0"]).rounds).toBe(1);
    expect(parse(["--rounds", "2.7"]).rounds).toBe(2);
  });

  it("answers --help and -h", () => {
    expect(parseRunOptions(["--help"], {})).toBe("help");
    expect(parseRunOptions(["--only", "codec", "-h"], {})).toBe("help");
  });

  it("refuses unknown options and backends, missing values and bad durations", () => {
    expect(() => parse(["--fast"])).toThrow(new UsageError("bench: unknown option --fast (see --help)"));
    expect(() => parse(["--only", "codec,mysql"])).toThrow(/unknown backend mysql \(one of codec, sqlite-full/);
    expect(() => parse(["--sections", "codec"])).toThrow(/unknown section codec \(one of codec3, store-sizes, write-breakdown, redis-breakdown, cli, clearsessions, seed, request-cost, or none\)/);
    expect(() => parse(["--seconds"])).toThrow(UsageError);
    expect(() => parse(["--seconds", "0"])).toThrow(/positive number of seconds/);
    expect(() => parse(["--warmup", "soon"])).toThrow(/non-negative number of seconds/);
  });
});

import { describe, expect, it } from "vitest";
import type { ResultLine } from "../common.ts";
import { mark } from "./format.ts";
import { bestRounds, evaluate, floorCapped, median, type Row } from "./stats.ts";

const line = (impl: string, backend: string, op: string, opsPerSec: number, store?: string): ResultLine => ({
  impl, engine: "db", backend, durability: "-", op, ops_per_sec: opsPerSec, us_per_op: 1e6 / opsPerSec, n: 100, ...(store ? { store } : {}),
});

function row(lines: ResultLine[], backend: string, op: string): Row {
  const found = evaluate(bestRounds(lines)).find((r) => r.section.backend === backend && r.op === op);
  if (!found) throw new Error(`no row for ${backend} ${op}`);
  return found;
}

/** SessionScope, Django and one express store on one backend, at these ops/s. */
function threeWay(backend: string, op: string, opsPerSec: { sessionscope: number; django: number; express: number }): Row {
  return row([
    line("sessionscope", backend, op, opsPerSec.sessionscope),
    line("django", backend, op, opsPerSec.django),
    line("express-session", backend, op, opsPerSec.express, "an-express-store"),
  ], backend, op);
}

describe("targets", () => {
  it("passes at 3× Django and ahead of the fastest express store", () => {
    const r = threeWay("postgresql", "load", { sessionscope: 3000, django: 1000, express: 2900 });
    expect(r.status).toBe("pass");
    expect(mark(r)).toBe("✅ pass");
  });

  it("says which target was missed", () => {
    const r = threeWay("postgresql", "create", { sessionscope: 2900, django: 1000, express: 3500 });
    expect(r.status).toBe("fail");
    expect(mark(r)).toBe("❌ FAIL (< 3× Django, behind express-session)");
  });

  it("compares with the fastest express store when several ran", () => {
    const r = row([
      line("sessionscope", "sqlite-full", "load", 5000),
      line("django", "sqlite-full", "load", 1000),
      line("express-session", "sqlite-full", "load", 4000, "slow-store"),
      line("express-session", "sqlite-full", "load", 6000, "fast-store"),
    ], "sqlite-full", "load");
    expect(r.ex?.store).toBe("fast-store");
    expect(mark(r)).toBe("❌ FAIL (behind express-session)");
  });

  it("reports an operation SessionScope did not measure as missing", () => {
    expect(mark(row([line("django", "redis", "load", 1000)], "redis", "load"))).toBe("⚠️ not measured");
  });

  it("knows when the backend's floor alone rules the target out", () => {
    // Django takes 100 µs; one Redis round trip takes 40 µs, so no implementation can be 3× faster.
    const r = row([
      line("sessionscope", "redis", "load", 20_000),
      { ...line("django", "redis", "load", 10_000), us_per_op: 100 },
      { ...line("floor", "redis", "round_trip", 25_000), us_per_op: 40 },
    ], "redis", "load");
    expect(r.floor).toBe(40);
    expect(r.ceiling).toBe(2.5);
    expect(floorCapped(r)).toBe(true);
  });
});

describe("median", () => {
  it("takes the middle of the sorted values (the upper one of an even count)", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(3);
    expect(() => median([])).toThrow();
  });
});

import { describe, expect, it } from "vitest";
import type { ResultLine } from "../common.ts";
import { mark, resultText, targetText } from "./format.ts";
import { bestRounds, evaluate, median, type Row } from "./stats.ts";
import { whyMissed } from "./why-missed.ts";

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

/** A line with a given time per op (µs), for the floor and decode figures. */
const timedLine = (impl: string, backend: string, op: string, us: number): ResultLine => ({ ...line(impl, backend, op, 1e6 / us), us_per_op: us });

describe("write targets: level with the fastest express-session store", () => {
  it("meets the target level with express, whatever Django does", () => {
    const r = threeWay("postgresql", "create", { sessionscope: 3000, django: 5000, express: 3000 });
    expect(r.status).toBe("pass");
    expect(mark(r)).toBe("✅ met");
    expect(targetText(r)).toBe("≥ 1.00× the fastest express-session store");
    expect(whyMissed(r)).toBe("");
  });

  it("misses it behind express, says by how much, and what SessionScope's write does that the store's does not", () => {
    const r = threeWay("sqlite-default", "load_modify_save", { sessionscope: 2900, django: 1000, express: 3500 });
    expect(r.status).toBe("fail");
    expect(mark(r)).toBe("❌ missed");
    expect(resultText(r)).toBe("0.83× an-express-store");
    expect(whyMissed(r)).toMatch(/compare-and-swap/);
  });

  it("compares with the fastest express store when several ran", () => {
    const r = row([
      line("sessionscope", "sqlite-full", "create", 5000),
      line("django", "sqlite-full", "create", 1000),
      line("express-session", "sqlite-full", "create", 4000, "slow-store"),
      line("express-session", "sqlite-full", "create", 6000, "fast-store"),
    ], "sqlite-full", "create");
    expect(r.ex?.store).toBe("fast-store");
    expect(r.status).toBe("fail");
    expect(whyMissed(r)).toMatch(/meta row/);
  });

  it("shows cached_db's writes against Django with no verdict (express-session has no such store)", () => {
    const r = row([line("sessionscope", "cached_db", "create", 900), line("django", "cached_db", "create", 1000)], "cached_db", "create");
    expect(r.status).toBe("info");
    expect(r.vsDjango).toBeCloseTo(0.9);
    expect(mark(r)).toBe("informational");
  });

  it("reports an operation SessionScope did not measure as missing", () => {
    expect(mark(row([line("django", "redis", "create", 1000)], "redis", "create"))).toBe("⚠️ not measured");
  });
});

describe("load targets: within 15 % of the floor plus the decode", () => {
  const sqlite = (loadUs: number) => row([
    timedLine("sessionscope", "sqlite-default", "load", loadUs),
    timedLine("floor", "sqlite-default", "select", 4),
    timedLine("floor", "sqlite-default", "commit", 50),
    timedLine("sessionscope", "none", "decode", 6),
    timedLine("sessionscope", "none", "decode_pickle", 20),
  ], "sqlite-default", "load");

  it("bounds a SQLite load by its SELECT floor and the codec's decode", () => {
    const r = sqlite(11.4);
    expect(r.floor).toBe(4);
    expect(r.decode).toBe(6);
    expect(r.bound).toBeCloseTo(11.5);
    expect(r.status).toBe("pass");
    expect(targetText(r)).toBe("≤ 1.15 × (floor + decode)");
    expect(sqlite(11.6).status).toBe("fail");
    expect(resultText(sqlite(11.6))).toBe("11.6 µs against 11.5 µs (1.16× of floor + decode)");
    expect(whyMissed(sqlite(11.6))).toMatch(/SELECT by primary key/);
  });

  it("bounds a Redis or cached_db load by one GET of a session-sized entry and the pickle read", () => {
    for (const backend of ["redis", "cached_db"]) {
      const r = row([
        timedLine("sessionscope", backend, "load", 60),
        timedLine("floor", "redis", "round_trip", 28),
        timedLine("floor", "redis", "get", 30),
        timedLine("floor", "postgresql", "round_trip", 100),
        timedLine("sessionscope", "none", "decode", 6),
        timedLine("sessionscope", "none", "decode_pickle", 20),
      ], backend, "load");
      expect(r.floor).toBe(30);
      expect(r.decode).toBe(20);
      expect(r.bound).toBeCloseTo(57.5);
      expect(r.status).toBe("fail");
      expect(whyMissed(r)).toMatch(/one M?GET/);
    }
  });

  it("cannot judge a load without its floor or its decode", () => {
    const r = row([timedLine("sessionscope", "postgresql", "load", 60), timedLine("floor", "postgresql", "select", 30)], "postgresql", "load");
    expect(r.bound).toBeNull();
    expect(r.status).toBe("missing");
    expect(resultText(r)).toBe("60.0 µs; decode not measured");
  });
});

describe("codec targets: encode 2× Django's, decode 1.5×", () => {
  it("judges encode and decode against their own multiples", () => {
    const codec = (op: string, ss: number) => row([line("sessionscope", "none", op, ss), line("django", "none", op, 1000)], "none", op);
    expect(codec("encode", 2000).status).toBe("pass");
    expect(codec("encode", 1900).status).toBe("fail");
    expect(codec("decode", 1500).status).toBe("pass");
    expect(targetText(codec("decode", 1400))).toBe("≥ 1.5× Django's");
    expect(resultText(codec("decode", 1400))).toBe("1.40× Django");
  });
});

describe("median", () => {
  it("takes the middle of the sorted values (the upper one of an even count)", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(3);
    expect(() => median([])).toThrow();
  });
});

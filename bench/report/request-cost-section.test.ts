import { describe, expect, it } from "vitest";
import { cookieFloor, defaultSetupVerdict, memoryVerdict, type Pair, renderRequestCost, type RouteSummary, type SetupId, type Side } from "./request-cost-section.ts";

const route = (rps: number): RouteSummary => ({ p50: 1, p99: 2, mean: 1000 / rps, rps });
const pair = (setup: SetupId, side: Side, connections: number, plain: number, session: number): Pair => ({
  setup, side, connections, plain: route(plain), session: route(session),
});

describe("request-cost targets", () => {
  it("reads the default setup's verdict from SessionScope on SQLite only", () => {
    const pairs = [
      pair("sqlite", "sessionscope", 1, 1000, 800), // 1.25× the plain round trip: met, at the limit
      pair("sqlite", "sessionscope", 8, 2000, 1500), // keeps 0.75: missed
      pair("sqlite", "express", 8, 10_000, 9_000),
      pair("postgres", "sessionscope", 8, 2000, 1990),
    ];
    const verdict = defaultSetupVerdict(pairs, 8);
    expect(verdict?.share).toBeCloseTo(0.75);
    expect(verdict?.shareMet).toBe(false);
    expect(verdict?.factor).toBeCloseTo(1.25);
    expect(verdict?.factorMet).toBe(true);
  });

  it("reads the cookie route as the floor under the session route, on each server of the default setup", () => {
    const withCookie = (side: Side, connections: number, plain: number, cookie: number, session: number): Pair => ({ ...pair("sqlite", side, connections, plain, session), cookie: route(cookie) });
    const pairs = [
      withCookie("sessionscope", 1, 1000, 900, 750),
      withCookie("sessionscope", 8, 2000, 1800, 1440),
      withCookie("express", 1, 10_000, 8_000, 2_000),
      withCookie("express", 8, 20_000, 16_000, 4_000),
    ];
    const floor = cookieFloor(pairs, 8);
    expect(floor?.cookieShare).toBeCloseTo(0.9);
    expect(floor?.sessionShareOfCookie).toBeCloseTo(0.8);
    expect(floor?.cookieFactor).toBeCloseTo(1000 / 900);
    expect(floor?.sessionFactorOverCookie).toBeCloseTo(1.2);
    expect(cookieFloor(pairs, 8, "express")?.sessionShareOfCookie).toBeCloseTo(0.25);
    // Without the cookie route (the other setups), there is no floor and no table.
    expect(cookieFloor([pair("sqlite", "sessionscope", 1, 1000, 800), pair("sqlite", "sessionscope", 8, 2000, 1500)], 8)).toBeNull();
    const text = renderRequestCost({ pairs, memory: [], seconds: 5, rounds: 3, saturated: 8, date: new Date(0) }).join("\n");
    expect(text).toContain("| SessionScope (`next start`) | 2000 | 1800 | 1440 | **0.90** | **0.80** | 1.000 | 1.111 | 1.333 | **1.11×** | **1.20×** |");
    expect(text).toContain("the session would have to keep 0.89 of it at saturation to meet 0.8 of the plain route");
  });

  it("has no verdict when the default setup was not measured", () => {
    expect(defaultSetupVerdict([pair("redis", "sessionscope", 1, 1000, 900), pair("redis", "sessionscope", 8, 1000, 900)], 8)).toBeNull();
  });

  it("compares the last memory checkpoint with the first once each has settled, and names the peak", () => {
    const mib = 2 ** 20;
    // As found, and right after one collection, the RSS swings with the collector's timing; settled, it is what the process keeps.
    const point = (requests: number, found: number, kept: number) => ({
      requests, rssBytes: found * mib, rssAfterGcBytes: (found - 20) * mib, rssSettledBytes: kept * mib, settleSeconds: 3, heapUsedBytes: (kept * mib) / 4,
    });
    const points = [point(20_000, 450, 300), point(100_000, 500, 340), point(200_000, 520, 329)];
    const verdict = memoryVerdict(points);
    expect(verdict?.met).toBe(true);
    expect(verdict?.growth).toBeCloseTo(329 / 300);
    expect(verdict?.peak.requests).toBe(100_000);
    expect(memoryVerdict([...points.slice(0, 2), point(200_000, 440, 331)])?.met).toBe(false);
    expect(memoryVerdict(points.slice(0, 1))).toBeNull();
    // Past the checkpoint where every bound is full, the growth a leak would show is read apart.
    const text = renderRequestCost({ pairs: [], memory: points, seconds: 5, rounds: 3, saturated: 8, date: new Date(0) }).join("\n");
    expect(text).toContain("Here: 340.0 MiB at 100,000 → 329.0 MiB at 200,000, -3.2 %");
  });

  it("writes one row per setup and server, with each server's own ratio", () => {
    const pairs = (["sessionscope", "express"] as const).flatMap((side) => [pair("redis", side, 1, 1000, 500), pair("redis", side, 8, 2000, 1000)]);
    const text = renderRequestCost({ pairs, memory: [], seconds: 5, rounds: 3, saturated: 8, date: new Date(0) }).join("\n");
    expect(text).toContain("--setups redis");
    const rows = text.split("\n").filter((line) => line.startsWith("| SessionScope") || line.startsWith("| express-session"));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain("| 2000 | 1000 | **0.50** | 0.500 | 1.000 | 2.000 | **2.00×** | 1.000 |");
    expect(text).not.toContain("Steady memory");
  });
});

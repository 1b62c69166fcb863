import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createCacheGuard } from "./cache-guard.ts";

const never = () => new Promise<string>(() => {});

describe("the cache guard", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance", "Date"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("answers with the step's value, and with the fallback when the step fails, reporting the failure", async () => {
    const errors: string[] = [];
    const guard = createCacheGuard("Redis", 500, (error, operation) => errors.push(`${operation}: ${error.message}`));
    await expect(guard("load", "fallback", async () => "cached")).resolves.toBe("cached");
    await expect(guard("save", "fallback", () => Promise.reject(new Error("READONLY")))).resolves.toBe("fallback");
    await expect(guard("kill", "fallback", () => {
      throw new Error("not connected");
    })).resolves.toBe("fallback");
    expect(errors).toEqual(["save: READONLY", "kill: not connected"]);
  });

  it("gives up on each step at its own deadline, however many are in flight, and ignores a late answer", async () => {
    const errors: string[] = [];
    const guard = createCacheGuard("Redis", 500, (error, operation) => errors.push(`${operation}: ${error.message}`));
    const settledAt = new Map<string, number>();
    const track = (name: string, result: Promise<string>) => result.then((value) => settledAt.set(name, performance.now()) && value);
    let answerLate!: (value: string) => void;
    const start = performance.now();
    const first = track("first", guard("load", "db", () => new Promise<string>((resolve) => (answerLate = resolve))));
    await vi.advanceTimersByTimeAsync(200);
    const quick = track("quick", guard("load", "db", () => new Promise<string>((resolve) => setTimeout(() => resolve("cached"), 100))));
    const second = track("second", guard("save", false as unknown as string, never));
    await vi.advanceTimersByTimeAsync(300);
    await expect(first).resolves.toBe("db");
    expect(settledAt.get("first")! - start).toBe(500);
    expect(settledAt.has("second")).toBe(false);
    await expect(quick).resolves.toBe("cached");
    await vi.advanceTimersByTimeAsync(200);
    await expect(second).resolves.toBe(false);
    expect(settledAt.get("second")! - start).toBe(700);
    // The first step answers after all: too late to count, and not an error.
    answerLate("stale");
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toEqual(["load: Redis did not answer within 500 ms", "save: Redis did not answer within 500 ms"]);
  });

  it("bounds a step that starts after the others have all ended", async () => {
    const errors: string[] = [];
    const guard = createCacheGuard("Memcached", 100, (error) => errors.push(error.message));
    await guard("load", null, async () => "x");
    await vi.advanceTimersByTimeAsync(1000);
    const late = guard("load", "fallback", never);
    await vi.advanceTimersByTimeAsync(100);
    await expect(late).resolves.toBe("fallback");
    expect(errors).toEqual(["Memcached did not answer within 100 ms"]);
  });
});

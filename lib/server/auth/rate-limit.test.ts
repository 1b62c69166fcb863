import { describe, expect, it } from "vitest";
import { createMemoryCounter } from "./rate-limit.ts";

describe("login failure counter", () => {
  it("blocks after the limit until the window ends", async () => {
    let now = 0;
    const counter = createMemoryCounter(() => now);
    const rule = { limit: 3, windowSeconds: 60 };
    for (let i = 0; i < 3; i++) {
      expect(await counter.retryAfter("alice", rule)).toBe(0);
      await counter.recordFailure("alice", rule);
    }
    expect(await counter.retryAfter("alice", rule)).toBe(60);
    expect(await counter.retryAfter("bob", rule)).toBe(0);
    now += 45_000;
    expect(await counter.retryAfter("alice", rule)).toBe(15);
    now += 15_000;
    expect(await counter.retryAfter("alice", rule)).toBe(0);
  });

  it("forgets failures after a successful login", async () => {
    const counter = createMemoryCounter(() => 0);
    const rule = { limit: 2, windowSeconds: 60 };
    await counter.recordFailure("alice", rule);
    await counter.reset("alice");
    await counter.recordFailure("alice", rule);
    expect(await counter.retryAfter("alice", rule)).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { createMemoryCounterStore } from "./rate-limit.ts";
import { LOGIN_RULES, Throttled, createLoginThrottle, type ThrottleRules } from "./throttle.ts";

const wrong = async () => null;
const right = async () => "user";

/** Runs an attempt and says how it ended. */
async function outcome(run: Promise<unknown>): Promise<"ok" | "failed" | "failures" | "busy"> {
  try {
    return (await run) === null ? "failed" : "ok";
  } catch (error) {
    if (error instanceof Throttled) return error.reason;
    throw error;
  }
}

const rules = (overrides: Partial<ThrottleRules>): ThrottleRules => ({ ...LOGIN_RULES, ...overrides });

describe("login throttle", () => {
  it("locks the account for the attacking address only: the owner elsewhere still gets in", async () => {
    const throttle = createLoginThrottle(createMemoryCounterStore());
    const attacker = { account: "alice", ip: "198.51.100.9" };
    for (let i = 0; i < LOGIN_RULES.pair.limit; i++) expect(await outcome(throttle.attempt(attacker, wrong))).toBe("failed");
    expect(await outcome(throttle.attempt(attacker, right))).toBe("failures");
    expect(await outcome(throttle.attempt({ account: "ALICE", ip: "198.51.100.9" }, right))).toBe("failures");
    expect(await outcome(throttle.attempt({ account: "alice", ip: "203.0.113.5" }, right))).toBe("ok");
    expect(await outcome(throttle.attempt({ account: "bob", ip: "198.51.100.9" }, right))).toBe("ok");
  });

  it("says how long to wait", async () => {
    const throttle = createLoginThrottle(createMemoryCounterStore());
    const who = { account: "alice", ip: "198.51.100.9" };
    for (let i = 0; i < LOGIN_RULES.pair.limit; i++) await throttle.attempt(who, wrong);
    const refusal = await throttle.attempt(who, wrong).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(Throttled);
    expect((refusal as Throttled).retryAfterSeconds).toBe(LOGIN_RULES.pair.windowSeconds);
  });

  it("counts an IPv6 /64 as one address", async () => {
    const throttle = createLoginThrottle(createMemoryCounterStore());
    for (let i = 0; i < LOGIN_RULES.pair.limit; i++) await throttle.attempt({ account: "alice", ip: `2001:db8:7:7::${i + 1}` }, wrong);
    expect(await outcome(throttle.attempt({ account: "alice", ip: "2001:db8:7:7:ffff::1" }, right))).toBe("failures");
    expect(await outcome(throttle.attempt({ account: "alice", ip: "2001:db8:7:8::1" }, right))).toBe("ok");
  });

  it("limits each address across accounts (password spraying)", async () => {
    const throttle = createLoginThrottle(createMemoryCounterStore());
    for (let i = 0; i < LOGIN_RULES.address.limit; i++) expect(await outcome(throttle.attempt({ account: `user-${i}`, ip: "198.51.100.9" }, wrong))).toBe("failed");
    expect(await outcome(throttle.attempt({ account: "someone-else", ip: "198.51.100.9" }, right))).toBe("failures");
  });

  it("clears the pair's failures on a successful login", async () => {
    const throttle = createLoginThrottle(createMemoryCounterStore());
    const who = { account: "alice", ip: "198.51.100.9" };
    for (let i = 0; i < LOGIN_RULES.pair.limit - 1; i++) await throttle.attempt(who, wrong);
    expect(await outcome(throttle.attempt(who, right))).toBe("ok");
    for (let i = 0; i < LOGIN_RULES.pair.limit; i++) expect(await outcome(throttle.attempt(who, wrong))).toBe("failed");
    expect(await outcome(throttle.attempt(who, wrong))).toBe("failures");
  });

  it("stops a distributed attack on one account, except from addresses the owner used before", async () => {
    const throttle = createLoginThrottle(createMemoryCounterStore(), rules({ account: { limit: 10, windowSeconds: 900 } }));
    expect(await outcome(throttle.attempt({ account: "alice", ip: "203.0.113.5" }, right))).toBe("ok"); // the owner's home address
    for (let i = 0; i < 10; i++) expect(await outcome(throttle.attempt({ account: "alice", ip: `198.51.100.${i}` }, wrong))).toBe("failed");
    expect(await outcome(throttle.attempt({ account: "alice", ip: "198.51.100.200" }, right))).toBe("failures");
    expect(await outcome(throttle.attempt({ account: "alice", ip: "203.0.113.5" }, right))).toBe("ok");
  });

  it("caps checks in flight per account, per address and in total, and gives the claim back", async () => {
    const throttle = createLoginThrottle(createMemoryCounterStore(), rules({ inFlight: { account: 1, address: 2, total: 3 } }));
    let open = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    const slow = async () => {
      await gate;
      return null;
    };
    const running = [
      throttle.attempt({ account: "alice", ip: "198.51.100.1" }, slow),
      throttle.attempt({ account: "bob", ip: "198.51.100.2" }, slow),
      throttle.attempt({ account: "carol", ip: "198.51.100.2" }, slow),
    ];
    expect(await outcome(throttle.attempt({ account: "alice", ip: "203.0.113.5" }, right))).toBe("busy"); // per account
    expect(await outcome(throttle.attempt({ account: "dave", ip: "198.51.100.2" }, right))).toBe("busy"); // per address
    expect(await outcome(throttle.attempt({ account: "erin", ip: "203.0.113.6" }, right))).toBe("busy"); // in total
    open();
    await Promise.all(running);
    expect(await outcome(throttle.attempt({ account: "alice", ip: "203.0.113.5" }, right))).toBe("ok");
    // The refused attempts did not count: the address still has all its tries.
    for (let i = 0; i < LOGIN_RULES.pair.limit; i++) expect(await outcome(throttle.attempt({ account: "dave", ip: "198.51.100.2" }, wrong))).toBe("failed");
  });

  it("does not count an attempt whose check failed for another reason", async () => {
    const throttle = createLoginThrottle(createMemoryCounterStore());
    const who = { account: "alice", ip: "198.51.100.9" };
    const broken = async () => {
      throw new Error("database down");
    };
    for (let i = 0; i < 10; i++) await expect(throttle.attempt(who, broken)).rejects.toThrow("database down");
    expect(await outcome(throttle.attempt(who, right))).toBe("ok");
  });
});

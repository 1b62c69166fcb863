import { describe, expect, it } from "vitest";
import { queryKeys } from "@/lib/query-keys";
import { createInvalidationThrottle, isStale, reconnectDelay, resourcesFor, type AdminResource, type Timers } from "./invalidation";

function fakeTimers() {
  let now = 0;
  const due: { at: number; fn: () => void }[] = [];
  const timers: Timers = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const entry = { at: now + ms, fn };
      due.push(entry);
      return entry;
    },
    clearTimeout: (handle) => void due.splice(due.indexOf(handle as (typeof due)[number]), 1),
  };
  return {
    timers,
    advance(ms: number) {
      now += ms;
      for (const entry of due.filter((e) => e.at <= now)) {
        due.splice(due.indexOf(entry), 1);
        entry.fn();
      }
    },
  };
}

describe("what an event makes stale", () => {
  const stale = (key: readonly unknown[], type: Parameters<typeof resourcesFor>[0]) => isStale({ queryKey: key }, new Set(resourcesFor(type)));

  it("a login refreshes sessions lists and details and users, not the audit log", () => {
    expect(stale(queryKeys.admin.sessions.list({ status: "active" }), "session.login")).toBe(true);
    expect(stale(queryKeys.admin.sessions.detail("abc"), "session.login")).toBe(true);
    expect(stale(queryKeys.admin.users.list(""), "session.login")).toBe(true);
    expect(stale(queryKeys.admin.audit.list({}), "session.login")).toBe(false);
    expect(stale(queryKeys.admin.audit.list({}), "session.killed")).toBe(true);
    expect(stale(["admin", "policy"], "policy.changed")).toBe(true);
    expect(stale(["admin", "stats", "overview"], "session.logout")).toBe(true);
  });

  it("never refetches a revealed hash or anything outside the dashboard", () => {
    expect(stale([...queryKeys.admin.sessions.detail("abc"), "reveal"], "session.killed")).toBe(false);
    expect(stale(queryKeys.account.sessions, "session.killed")).toBe(false);
    expect(stale(queryKeys.session.current, "session.login")).toBe(false);
  });
});

describe("the invalidation throttle", () => {
  it("flushes the first request at once and merges a burst into one flush a second later", () => {
    const clock = fakeTimers();
    const flushes: AdminResource[][] = [];
    const throttle = createInvalidationThrottle((resources) => flushes.push([...resources].sort()), 1_000, clock.timers);
    throttle.request(["sessions"]);
    expect(flushes).toEqual([["sessions"]]);
    for (let i = 0; i < 50; i++) throttle.request(i % 2 ? ["users"] : ["sessions", "stats"]);
    expect(flushes).toHaveLength(1);
    clock.advance(999);
    expect(flushes).toHaveLength(1);
    clock.advance(1);
    expect(flushes).toEqual([["sessions"], ["sessions", "stats", "users"]]);
    clock.advance(5_000);
    throttle.request(["audit"]);
    expect(flushes).toHaveLength(3);
  });

  it("drops what is pending when cancelled", () => {
    const clock = fakeTimers();
    const flushes: unknown[] = [];
    const throttle = createInvalidationThrottle((resources) => flushes.push(resources), 1_000, clock.timers);
    throttle.request(["sessions"]);
    throttle.request(["users"]);
    throttle.cancel();
    clock.advance(2_000);
    expect(flushes).toHaveLength(1);
  });

  it("waits longer after each refused reconnect, up to 30 s", () => {
    expect([0, 1, 2, 5, 10].map(reconnectDelay)).toEqual([1_000, 2_000, 4_000, 30_000, 30_000]);
  });
});

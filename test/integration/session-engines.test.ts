// The Session API on every engine, as an application uses it: the expiry
// rules (Django's, plus idle timeout and absolute lifetime) and the
// no-lost-update guarantee hold whatever stores the session. Time is the
// test's clock, moved by hand; where Redis expires entries on its own clock,
// the tests read back the TTL the engine asked Redis for.
import { afterEach, beforeEach, expect, it } from "vitest";
import { DEFAULT_SESSION_POLICY, Session, type SessionPolicy } from "../../lib/session/index.ts";
import { type Harness, SESSION_BACKENDS, TEST_CODEC } from "../helpers/backends.ts";
import { createTestClock, type TestClock } from "../helpers/clock.ts";
import { describeWithServices, itIf } from "../helpers/register.ts";

/** Redis's TTLs are whole seconds, counted from the save on Redis's own clock. */
const TTL_TOLERANCE_MS = 1500;

for (const backend of SESSION_BACKENDS) {
  const { traits } = backend;

  describeWithServices(`Session on ${backend.name}`, backend.needs, () => {
    let h: Harness;
    let clock: TestClock;
    const open = (key: string | null, policy: SessionPolicy = DEFAULT_SESSION_POLICY, options: { maxSaveAttempts?: number } = {}) =>
      new Session({ key, store: h.store, codec: TEST_CODEC, policy, clock, ...options });

    beforeEach(async () => {
      clock = createTestClock();
      h = await backend.open({ clock });
      clock.set(new Date());
    });
    afterEach(async () => {
      await h?.dispose();
    });

    async function create(policy: SessionPolicy, values: Record<string, unknown>): Promise<string> {
      const session = await open(null, policy).load();
      session.update(values);
      await session.save();
      return session.key!;
    }

    /** A session whose own age (Django's set_expiry) is 30 s, shorter than the policy's. */
    async function createCarolFor30Seconds(): Promise<Session> {
      const session = await open(null).load();
      session.set("user", "carol");
      session.setExpiry(30);
      await session.save();
      return session;
    }

    /** Redis holds the session's entry for `seconds` more (the engine asked for exactly that). */
    async function expectServerTtl(key: string, seconds: number) {
      if (!h.serverTtlMs) throw new Error("the backend declares server TTLs, but its harness cannot read them");
      const ttl = await h.serverTtlMs(key);
      expect(ttl).toBeGreaterThan(0);
      expect(Math.abs(ttl - seconds * 1000)).toBeLessThanOrEqual(TTL_TOLERANCE_MS);
    }

    it("ends a session after its absolute lifetime, however active it is", async () => {
      const policy = { ...DEFAULT_SESSION_POLICY, absoluteLifetimeSeconds: 100 };
      let key = await create(policy, { user: "alice" });
      for (const step of [1, 2]) {
        clock.advance(30);
        const session = await open(key, policy).load();
        expect(session.get("user")).toBe("alice");
        session.set("step", step);
        await session.save();
        key = session.key!;
      }
      clock.advance(41); // 101 s after creation, 41 s after the last request
      const late = await open(key, policy).load();
      expect(late.key).toBeNull();
      expect(late.get("user")).toBeUndefined();
    });

    it("ends an idle session, and keeps a used one alive", async () => {
      const policy = { ...DEFAULT_SESSION_POLICY, idleTimeoutSeconds: 60 };
      let key = await create(policy, { user: "bob" });
      for (let step = 0; step < 3; step++) {
        clock.advance(50);
        const session = await open(key, policy).load();
        expect(session.get("user")).toBe("bob");
        // A read-only request still records activity when the idle timeout is on.
        expect(session.needsSave()).toBe(true);
        await session.save();
        key = session.key!;
      }
      clock.advance(61);
      expect((await open(key, policy).load()).get("user")).toBeUndefined();
    });

    itIf(traits.serverTtl)("asks Redis to drop the session at its idle timeout and absolute lifetime, moved by each save", async () => {
      const idle = { ...DEFAULT_SESSION_POLICY, idleTimeoutSeconds: 60 };
      const idleKey = await create(idle, { user: "bob" });
      await expectServerTtl(idleKey, 60);
      clock.advance(50);
      const used = await open(idleKey, idle).load();
      await used.save();
      await expectServerTtl(idleKey, 60);

      const lifetime = { ...DEFAULT_SESSION_POLICY, absoluteLifetimeSeconds: 100 };
      const lifetimeKey = await create(lifetime, { user: "alice" });
      await expectServerTtl(lifetimeKey, 100);
      clock.advance(30);
      const active = await open(lifetimeKey, lifetime).load();
      active.set("step", 1);
      await active.save();
      await expectServerTtl(lifetimeKey, 70);
    });

    itIf(traits.enforcesStoredExpiry && !traits.serverTtl)("honours set_expiry: a shorter per-session age ends it sooner", async () => {
      const session = await createCarolFor30Seconds();
      clock.advance(29);
      expect((await open(session.key).load()).get("user")).toBe("carol");
      clock.advance(2);
      expect((await open(session.key).load()).get("user")).toBeUndefined();
    });

    itIf(traits.serverTtl)("honours set_expiry by asking Redis to drop the entry sooner", async () => {
      const session = await createCarolFor30Seconds();
      await expectServerTtl(session.key!, 30);
      clock.advance(29);
      expect((await open(session.key).load()).get("user")).toBe("carol");
    });

    itIf(!traits.enforcesStoredExpiry)("ignores set_expiry on load, as Django's signed cookies do (ticket #19201)", async () => {
      const session = await createCarolFor30Seconds();
      clock.advance(31);
      expect((await open(session.key).load()).get("user")).toBe("carol");
    });

    itIf(traits.atomicSave)("loses no update: 50 concurrent requests that modify one session all persist", async () => {
      const key = await create(DEFAULT_SESSION_POLICY, { cart: { items: [] } });
      await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          // Each conflict means another request's save landed in between, and each lands once:
          // 50 attempts are always enough, however slow the machine.
          const session = await open(key, DEFAULT_SESSION_POLICY, { maxSaveAttempts: 50 }).load();
          session.modify<{ items: number[] }>("cart", (cart) => ({ items: [...(cart?.items ?? []), i] }));
          session.set(`visited-${i % 5}`, true);
          await session.save();
        }),
      );
      const final = await open(key).load();
      expect((final.get("cart") as { items: number[] }).items.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(final.keys().filter((k) => k.startsWith("visited-")).sort()).toEqual(["visited-0", "visited-1", "visited-2", "visited-3", "visited-4"]);
    });

    itIf(!traits.atomicSave)("cannot merge concurrent requests: each response's cookie holds only its own change", async () => {
      expect(h.store.atomicSave).toBe(false);
      const key = await create(DEFAULT_SESSION_POLICY, { user: "dave" });
      const first = await open(key).load();
      const second = await open(key).load();
      first.set("a", 1);
      second.set("b", 2);
      await first.save();
      await second.save();
      const fromSecond = await open(second.key).load();
      expect(fromSecond.get("user")).toBe("dave");
      expect(fromSecond.get("b")).toBe(2);
      expect(fromSecond.get("a")).toBeUndefined();
    });
  });
}

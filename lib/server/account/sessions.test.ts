// "Your sessions" on a real SQLite database with the db engine, as the app
// runs it (DATABASE_URL points the app's own runtime at a temp file).
import { beforeEach, describe, expect, it } from "vitest";
import { supportsActivity, type Session } from "@/lib/session";
import { registerAppDatabase } from "../../../test/helpers/app-database.ts";
import type { CurrentUser } from "../auth/auth.ts";
import { HttpError } from "../http.ts";
import { getSessionRuntime } from "../session/instance.ts";
import { listMySessions, revokeMySession, revokeOtherSessions } from "./sessions.ts";

const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0";
const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";

const alice: CurrentUser = { id: 7, username: "alice", firstName: "Alice", role: null };
const bob: CurrentUser = { id: 8, username: "bob", firstName: "Bob", role: null };

const database = registerAppDatabase();

beforeEach(async () => {
  const { prisma } = database().db;
  await prisma.djangoSession.deleteMany();
  await prisma.sessionMeta.deleteMany();
});

/** A logged-in session of `user`, used from a browser with `userAgent` at `ip`. */
async function signedIn(user: CurrentUser, userAgent: string, ip: string): Promise<Session> {
  const runtime = getSessionRuntime();
  const session = await runtime.openSession(null, await runtime.policy.get()).load();
  session.set("_auth_user_id", String(user.id));
  await session.save();
  if (!supportsActivity(runtime.store)) throw new Error("the db engine records activity");
  await runtime.store.recordActivity(session.key!, { at: new Date(), ip, userAgent });
  return session;
}

async function stillExists(session: Session): Promise<boolean> {
  return getSessionRuntime().store.exists(session.key!);
}

async function refusal(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe("your sessions", () => {
  it("lists only the user's own sessions, marks this one, and names devices", async () => {
    const laptop = await signedIn(alice, FIREFOX, "203.0.113.5");
    const phone = await signedIn(alice, IPHONE, "198.51.100.7");
    await signedIn(bob, FIREFOX, "192.0.2.1");

    const rows = await listMySessions(laptop, alice);
    expect(rows.map(({ current, device, ip }) => ({ current, device, ip })).sort((a, b) => a.device.localeCompare(b.device))).toEqual([
      { current: true, device: "Firefox on Linux", ip: "203.0.113.5" },
      { current: false, device: "Safari on iOS", ip: "198.51.100.7" },
    ]);
    for (const row of rows) {
      expect(row.id).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(new Date(row.expiresAt).getTime()).toBeGreaterThan(Date.now());
    }
    expect((await listMySessions(phone, alice)).filter((row) => row.current)).toHaveLength(1);
  });

  it("never shows a session key, only an opaque id", async () => {
    const laptop = await signedIn(alice, FIREFOX, "203.0.113.5");
    const phone = await signedIn(alice, IPHONE, "198.51.100.7");
    const json = JSON.stringify(await listMySessions(laptop, alice));
    for (const key of [laptop.key!, phone.key!]) {
      expect(json).not.toContain(key);
      expect(json).not.toContain(key.slice(0, 12));
    }
  });

  it("signs out another of the user's sessions by its id", async () => {
    const laptop = await signedIn(alice, FIREFOX, "203.0.113.5");
    const phone = await signedIn(alice, IPHONE, "198.51.100.7");
    const phoneId = (await listMySessions(laptop, alice)).find((row) => !row.current)!.id;

    expect(await revokeMySession(laptop, alice, phoneId)).toEqual({ current: false });
    expect(await stillExists(phone)).toBe(false);
    expect(await stillExists(laptop)).toBe(true);
    expect(await listMySessions(laptop, alice)).toHaveLength(1);
  });

  it("answers someone else's session id exactly as a made-up one, and touches neither", async () => {
    const laptop = await signedIn(alice, FIREFOX, "203.0.113.5");
    const bobs = await signedIn(bob, FIREFOX, "192.0.2.1");
    const bobsId = (await listMySessions(bobs, bob))[0]!.id;

    const foreign = await refusal(revokeMySession(laptop, alice, bobsId));
    const madeUp = await refusal(revokeMySession(laptop, alice, "no-such-session-id"));
    expect([foreign.status, foreign.code, foreign.message]).toEqual([404, "not_found", "No such session among yours."]);
    expect([madeUp.status, madeUp.code, madeUp.message]).toEqual([foreign.status, foreign.code, foreign.message]);
    expect(await stillExists(bobs)).toBe(true);
  });

  it("treats signing out this session as a logout", async () => {
    const laptop = await signedIn(alice, FIREFOX, "203.0.113.5");
    const key = laptop.key!;
    const id = (await listMySessions(laptop, alice)).find((row) => row.current)!.id;

    expect(await revokeMySession(laptop, alice, id)).toEqual({ current: true });
    expect(laptop.key).toBeNull();
    expect(laptop.isEmpty()).toBe(true);
    expect(await getSessionRuntime().store.exists(key)).toBe(false);
  });

  it("signs out every other session of the user, keeping this one and other users'", async () => {
    const laptop = await signedIn(alice, FIREFOX, "203.0.113.5");
    const phone = await signedIn(alice, IPHONE, "198.51.100.7");
    const tablet = await signedIn(alice, IPHONE, "198.51.100.8");
    const bobs = await signedIn(bob, FIREFOX, "192.0.2.1");

    expect(await revokeOtherSessions(laptop, alice)).toEqual({ revoked: 2 });
    expect(await Promise.all([laptop, phone, tablet, bobs].map(stillExists))).toEqual([true, false, false, true]);
    expect(await revokeOtherSessions(laptop, alice)).toEqual({ revoked: 0 });
  });
});

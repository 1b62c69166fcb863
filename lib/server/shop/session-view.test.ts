// The shop's "your session right now" panel on a real SQLite database with
// the db engine, as the app runs it (DATABASE_URL points the app's own
// runtime at a temp file).
import { beforeEach, describe, expect, it } from "vitest";
import type { Role } from "@/lib/roles";
import type { Session, SessionPolicy } from "@/lib/session";
import { registerAppDatabase } from "../../../test/helpers/app-database.ts";
import { logIn } from "../auth/auth.ts";
import { createUserStore } from "../auth/users.ts";
import { getSessionRuntime } from "../session/instance.ts";
import { describeSession } from "./session-view.ts";

const database = registerAppDatabase();
const prisma = () => database().db.prisma;

beforeEach(async () => {
  await prisma().djangoSession.deleteMany();
  await prisma().sessionMeta.deleteMany();
  await prisma().userRole.deleteMany();
  await prisma().authUser.deleteMany();
});

async function openSession(policy?: SessionPolicy): Promise<Session> {
  const runtime = getSessionRuntime();
  return runtime.openSession(null, policy ?? (await runtime.policy.get())).load();
}

/** A saved session holding a cart, logged in as a new user with `role` when a username is given. */
async function shopperSession(username?: string, role?: Role, policy?: SessionPolicy): Promise<Session> {
  const session = await openSession(policy);
  session.set("cart", { items: [{ productId: 3, quantity: 2 }] });
  if (username) {
    const row = await prisma().authUser.create({
      data: {
        username, password: "pbkdf2_sha256$1$salt$unused", firstName: "", lastName: "", email: "", isStaff: false, isSuperuser: false, isActive: true,
        dateJoined: new Date(), ...(role ? { role: { create: { role } } } : {}),
      },
    });
    await logIn(session, (await createUserStore(prisma()).findById(row.id))!);
  }
  await session.save();
  return session;
}

describe("the shop's session panel", () => {
  it("a browser without a session is told so, with where one would be stored", async () => {
    const view = await describeSession(await openSession(), new Date());
    expect(view).toMatchObject({ engine: "db", storage: "a row in django_session on SQLite", session: null, dashboardHref: null });
  });

  it("shows the decoded data with the framework's keys explained, and ends at the stored date by the cookie age", async () => {
    const session = await shopperSession("alice");
    const view = await describeSession(session, new Date());
    const entries = Object.fromEntries(view.session!.entries.map((entry) => [entry.key, entry]));
    expect(entries.cart!.json).toBe('{"items":[{"productId":3,"quantity":2}]}');
    expect(entries.cart!.note).toMatch(/product ids and quantities/);
    expect(entries._auth_user_id!.note).toBe("Who is logged in: alice.");
    expect(entries._session_created!.note).toMatch(/absolute lifetime/);
    const row = await prisma().djangoSession.findUniqueOrThrow({ where: { sessionKey: session.key! } });
    expect(view.session).toMatchObject({ endsAt: row.expireDate.toISOString(), endsBecause: "cookie_age", endsAtBrowserClose: false });
  });

  it("never carries the session key or the password-derived hash, only the public id and a masked hash", async () => {
    const session = await shopperSession("alice");
    const view = await describeSession(session, new Date());
    const json = JSON.stringify(view);
    const hash = String(session.get("_auth_user_hash"));
    expect(json).not.toContain(session.key!);
    expect(json).not.toContain(hash.slice(0, 12));
    expect(view.session!.entries.find((entry) => entry.key === "_auth_user_hash")!.json).toBe(JSON.stringify(`••••${hash.slice(-4)}`));
    const meta = await prisma().sessionMeta.findUniqueOrThrow({ where: { sessionKey: session.key! } });
    expect(view.session!.publicId).toBe(meta.publicId);
  });

  it("keeps short values on one line and indents long ones", async () => {
    const session = await openSession();
    session.set("cart", { items: [1, 2, 3, 4, 5, 6, 7, 8].map((productId) => ({ productId, quantity: 1 })) });
    await session.save();
    const cart = (await describeSession(session, new Date())).session!.entries.find((entry) => entry.key === "cart")!.json;
    expect(cart.split("\n")).toEqual(["{", '  "items": [', ...[1, 2, 3, 4, 5, 6, 7, 8].map((id) => `    {"productId":${id},"quantity":1}${id < 8 ? "," : ""}`), "  ]", "}"]);
  });

  it("an anonymous session has its public id too", async () => {
    const session = await shopperSession();
    const meta = await prisma().sessionMeta.findUniqueOrThrow({ where: { sessionKey: session.key! } });
    expect((await describeSession(session, new Date())).session!.publicId).toBe(meta.publicId);
  });

  it("links a visitor with a dashboard role to the same session in /admin, and nobody else", async () => {
    const admin = await describeSession(await shopperSession("ada", "viewer"), new Date());
    expect(admin.dashboardHref).toBe(`/admin/sessions/${admin.session!.publicId}`);
    expect((await describeSession(await shopperSession("bob"), new Date())).dashboardHref).toBeNull();
    expect((await describeSession(await shopperSession(), new Date())).dashboardHref).toBeNull();
  });

  it("names the idle timeout when it ends the session first", async () => {
    const policy = { ...(await getSessionRuntime().policy.get()), idleTimeoutSeconds: 1800 };
    const session = await shopperSession("alice", undefined, policy);
    const view = await describeSession(session, new Date(), policy);
    const lastUse = Number(session.get("_session_activity"));
    expect(view.session).toMatchObject({ endsBecause: "idle_timeout", endsAt: new Date((lastUse + 1800) * 1000).toISOString() });
    expect(view.session!.entries.find((entry) => entry.key === "_session_activity")!.note).toMatch(/idle timeout counts from here/);
  });
});

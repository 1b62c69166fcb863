// The shop's session panel on the cache engine (Redis, no database table):
// the public id comes from the engine's per-user index, so a logged-in
// session has one and an anonymous one honestly has none; the key never shows.
import { afterAll, beforeAll, expect, it } from "vitest";
import { getRedis, getSessionRuntime } from "../../lib/server/session/instance.ts";
import { describeSession } from "../../lib/server/shop/session-view.ts";
import { logIn } from "../../lib/server/auth/auth.ts";
import { createUserStore } from "../../lib/server/auth/users.ts";
import { supportsUserIndex, type Session } from "../../lib/session/index.ts";
import { registerAppDatabase } from "../helpers/app-database.ts";
import { describeWithServices } from "../helpers/register.ts";
import { serviceUrl } from "../helpers/services.ts";

describeWithServices("the shop's session panel on the cache engine", ["redis"], () => {
  const database = registerAppDatabase({ SESSION_ENGINE: "cache", REDIS_URL: serviceUrl("redis") ?? "" });
  let userId: number;

  beforeAll(async () => {
    const user = await database().db.prisma.authUser.create({
      data: { username: "carol", password: "pbkdf2_sha256$1$salt$unused", firstName: "", lastName: "", email: "", isStaff: false, isSuperuser: false, isActive: true, dateJoined: new Date() },
    });
    userId = user.id;
  });
  afterAll(async () => {
    await getRedis()?.quit();
  });

  async function savedSession(loggedIn: boolean): Promise<Session> {
    const runtime = getSessionRuntime();
    const session = await runtime.openSession(null, await runtime.policy.get()).load();
    session.set("cart", { items: [{ productId: 2, quantity: 1 }] });
    if (loggedIn) await logIn(session, (await createUserStore(database().db.prisma).findById(userId))!);
    await session.save();
    return session;
  }

  it("a logged-in session shows the public id the engine's user index keeps, and where Redis holds it", async () => {
    const session = await savedSession(true);
    const view = await describeSession(session, new Date());
    const { store } = getSessionRuntime();
    if (!supportsUserIndex(store)) throw new Error("the cache engine keeps a per-user index");
    const indexed = (await store.listByUser(String(userId), new Date())).find((item) => item.key === session.key);
    expect(view.engine).toBe("cache");
    expect(view.storage).toContain(":1:django.contrib.sessions.cache…");
    expect(view.session!.publicId).toBe(indexed!.publicId);
    expect(view.session!.endsBecause).toBe("cookie_age");
    expect(JSON.stringify(view)).not.toContain(session.key!);
  });

  it("an anonymous session is shown without a public id, and without its key", async () => {
    const session = await savedSession(false);
    const view = await describeSession(session, new Date());
    expect(view.session).toMatchObject({ publicId: null, publicIdNote: "the cache engine finds sessions by user, and this one has none" });
    expect(view.session!.entries.map((entry) => entry.key)).toContain("cart");
    expect(JSON.stringify(view)).not.toContain(session.key!);
  });
});

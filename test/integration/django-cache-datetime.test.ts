// A "remember me" session of a Django 3.2 site on the cache engine: real
// Django with django-redis, after request.session.set_expiry(timedelta), keeps
// `_session_expiry` as a pickled datetime (pytz's utc). SessionScope's Redis
// engine loads it with that expiry, lists it with its user, saves it back,
// and Django reads its own datetime again.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterEach, beforeEach, expect, it } from "vitest";
import { fetchDjango } from "../../scripts/fetch-django.mjs";
import { createDjangoCacheIndexer, createRedisStore, PyDate, PyDatetime, PyTimezone, Session } from "../../lib/session/index.ts";
import { openRedis, TEST_CODEC } from "../helpers/backends.ts";
import { djangoSiteAvailable } from "../helpers/django-site.ts";
import { describeWithServices } from "../helpers/register.ts";
import { requireServiceUrl } from "../helpers/services.ts";

const SITE = { keyPrefix: "shop-eu", version: 3 } as const;
const DAY = 86_400;

/** Django 3.2's cache SessionStore over django-redis, on the test Redis: "write" a remember-me session, or "read" one back. */
function django32(request: Record<string, unknown>): Record<string, unknown> {
  const script = `import datetime as dt, json, sys
request = json.load(sys.stdin)
from django.conf import settings
settings.configure(
    SECRET_KEY="django-cache-datetime", USE_TZ=True, SESSION_ENGINE="django.contrib.sessions.backends.cache",
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"],
    CACHES={"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": request["redis"], "KEY_PREFIX": "${SITE.keyPrefix}", "VERSION": ${SITE.version}}},
)
import django
django.setup()
from django.contrib.sessions.backends.cache import SessionStore
if request["op"] == "write":
    s = SessionStore()
    s["_auth_user_id"] = "7"
    s["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    s["first_visit"] = dt.date(2024, 2, 29)
    s.set_expiry(dt.timedelta(days=30))  # "remember me": timezone.now() + 30 days, a datetime in the session
    s.save()
    print(json.dumps({"key": s.session_key, "expiry": s["_session_expiry"].isoformat(), "age": s.get_expiry_age()}))
else:
    s = SessionStore(session_key=request["key"])
    expiry = s.get("_session_expiry")
    print(json.dumps({
        "exists": s.exists(request["key"]), "expiry_type": type(expiry).__name__, "expiry": expiry.isoformat(),
        "tz_is_pytz_utc": expiry.tzinfo is __import__("pytz").utc, "age": s.get_expiry_age(),
        "cart": s.get("cart"), "first_visit": repr(s.get("first_visit")), "user": s.get("_auth_user_id"),
    }))
    s["seen_again"] = True
    s.save()  # Django pickles what it read, datetime and all
`;
  const result = spawnSync("/usr/bin/python3", ["-c", script], {
    input: JSON.stringify({ ...request, redis: requireServiceUrl("redis") }),
    env: { NODE_ENV: "test", PATH: process.env.PATH, PYTHONPATH: join(fetchDjango("3.2"), "usr", "lib", "python3", "dist-packages"), PYTHONDONTWRITEBYTECODE: "1" },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`Django 3.2 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describeWithServices("a Django 3.2 session with set_expiry(timedelta) on the cache engine", ["redis"], () => {
  let client: Redis;
  beforeEach(async () => {
    client = await openRedis();
  });
  afterEach(() => client.disconnect());

  it.skipIf(!djangoSiteAvailable("3.2"))("loads with its expiry, is listed with its user, and round-trips through SessionScope back to Django", async () => {
    const written = django32({ op: "write" }) as { key: string; expiry: string; age: number };
    expect(written.age).toBeGreaterThanOrEqual(30 * DAY - 1); // timezone.now() moved on between set_expiry and the question
    const store = createRedisStore(client, SITE);

    // Listed, not undecodable.
    expect(await createDjangoCacheIndexer(client, { ...SITE, cookieAge: 1_209_600 }).run()).toMatchObject({ indexed: 1, undecodable: 0 });
    const [item] = (await store.list({}, { limit: 10 }, new Date())).items;
    expect(item).toMatchObject({ key: written.key, userId: "7" });

    // Loaded as Django left it: the datetime with pytz's utc, and Django's expiry.
    const invalid: string[] = [];
    const session = await new Session({ key: written.key, store, codec: TEST_CODEC, onInvalid: (reason) => invalid.push(reason) }).load();
    expect(invalid).toEqual([]);
    expect(session.key).toBe(written.key);
    const expiry = session.get("_session_expiry") as PyDatetime;
    expect(expiry).toBeInstanceOf(PyDatetime);
    expect(expiry.tzinfo).toBe(PyTimezone.PYTZ_UTC);
    expect(expiry.isoformat()).toBe(written.expiry);
    expect(session.getExpiryDate()).toEqual(expiry.toDate());
    expect(Math.abs(session.getExpiryAge() - 30 * DAY)).toBeLessThanOrEqual(5);
    expect(session.get("first_visit")).toEqual(new PyDate(2024, 2, 29));

    // SessionScope changes the cart and saves: the entry lives until the same date.
    session.set("cart", [1, 2, 3]);
    await session.save();
    const ttl = await client.pttl(`${SITE.keyPrefix}:${SITE.version}:django.contrib.sessions.cache${written.key}`);
    expect(Math.abs(Date.now() + ttl - expiry.toDate().getTime())).toBeLessThan(5_000);

    // Django reads its own datetime back (a string there would crash Django 3.2's get_expiry_age) and saves again.
    const read = django32({ op: "read", key: written.key });
    expect(read).toEqual({
      exists: true, expiry_type: "datetime", expiry: written.expiry, tz_is_pytz_utc: true, age: expect.any(Number),
      cart: [1, 2, 3], first_visit: "datetime.date(2024, 2, 29)", user: "7",
    });
    expect(Math.abs((read.age as number) - 30 * DAY)).toBeLessThanOrEqual(5);

    // And what Django saved after that still loads here.
    const again = await new Session({ key: written.key, store, codec: TEST_CODEC }).load();
    expect(again.get("seen_again")).toBe(true);
    expect(String(again.get("_session_expiry"))).toBe(written.expiry);
  });
});

import { describe, expect, it } from "vitest";
import { parseEnv } from "./env.ts";

const STRONG_KEY = "q3Vt9x2LwZ8pRk4nYb7cFh1sJm6dGa0eTu5iOoPlKjHgFdSaQwErTy";
const OLD_STRONG_KEY = "Zx8Lq2Wv7Nm4Rt6Yp1Ks9Hd3Gf5Jc0Ba-Ue_Io8Pl7Mk6Nj5Bh4Vg3Cf2";
/** A production configuration that passes every rule; tests change one thing at a time. */
const PRODUCTION = { NODE_ENV: "production", SESSION_SECRET_KEY: STRONG_KEY, SESSION_COOKIE_SECURE: "true" };

describe("configuration", () => {
  it("uses Django's session defaults", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      DATABASE_URL: "file:./var/sessionscope.db",
      databaseProvider: "sqlite",
      SESSION_ENGINE: "db",
      SESSION_COOKIE_NAME: "sessionid",
      SESSION_COOKIE_AGE: 1209600,
      SESSION_COOKIE_PATH: "/",
      SESSION_COOKIE_SECURE: false,
      SESSION_COOKIE_HTTPONLY: true,
      SESSION_COOKIE_SAMESITE: "Lax",
      SESSION_SAVE_EVERY_REQUEST: false,
      SESSION_EXPIRE_AT_BROWSER_CLOSE: false,
      SESSION_SECRET_KEY_FALLBACKS: [],
      PORT: 3000,
      production: false,
    });
    expect(env.SESSION_COOKIE_DOMAIN).toBeUndefined();
  });

  it("keeps file sessions in a folder of the app by default, not the shared temp folder", () => {
    expect(parseEnv({}).SESSION_FILE_PATH).toBe("var/sessions");
    expect(parseEnv({ SESSION_FILE_PATH: "/srv/sessions" }).SESSION_FILE_PATH).toBe("/srv/sessions");
  });

  it("parses booleans, numbers, lists and the PostgreSQL provider", () => {
    const env = parseEnv({
      DATABASE_URL: "postgresql://u:p@127.0.0.1:5432/app",
      SESSION_COOKIE_SECURE: "true",
      SESSION_COOKIE_HTTPONLY: "0",
      SESSION_COOKIE_AGE: "300",
      SESSION_SECRET_KEY_FALLBACKS: "old-one, older-one,",
      SESSION_COOKIE_SAMESITE: "Strict",
    });
    expect(env.databaseProvider).toBe("postgresql");
    expect(env.SESSION_COOKIE_SECURE).toBe(true);
    expect(env.SESSION_COOKIE_HTTPONLY).toBe(false);
    expect(env.SESSION_COOKIE_AGE).toBe(300);
    expect(env.SESSION_SECRET_KEY_FALLBACKS).toEqual(["old-one", "older-one"]);
  });

  it("bounds each PostgreSQL query at 10 s unless DATABASE_TIMEOUT_MS says otherwise (100 ms to 10 min)", () => {
    expect(parseEnv({}).DATABASE_TIMEOUT_MS).toBe(10_000);
    expect(parseEnv({ DATABASE_TIMEOUT_MS: "2500" }).DATABASE_TIMEOUT_MS).toBe(2500);
    expect(() => parseEnv({ DATABASE_TIMEOUT_MS: "0" })).toThrow(/DATABASE_TIMEOUT_MS/);
    expect(() => parseEnv({ DATABASE_TIMEOUT_MS: "5s" })).toThrow(/DATABASE_TIMEOUT_MS/);
  });

  it("names every invalid variable", () => {
    expect(() => parseEnv({ SESSION_COOKIE_AGE: "two weeks", SESSION_ENGINE: "memcache", DATABASE_URL: "mysql://x" })).toThrow(
      /SESSION_COOKIE_AGE[\s\S]*SESSION_ENGINE|SESSION_ENGINE[\s\S]*SESSION_COOKIE_AGE/,
    );
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL: must be a file: URL/);
    expect(() => parseEnv({ SESSION_COOKIE_SECURE: "maybe" })).toThrow(/SESSION_COOKIE_SECURE/);
  });

  it("needs Redis or Memcached for the cache engines", () => {
    expect(() => parseEnv({ SESSION_ENGINE: "cached_db" })).toThrow(/cached_db needs REDIS_URL \(e\.g\. redis:\/\/127\.0\.0\.1:6379\) or MEMCACHED_URL/);
    expect(parseEnv({ SESSION_ENGINE: "cache", REDIS_URL: "redis://127.0.0.1:6379" })).toMatchObject({ SESSION_ENGINE: "cache", cacheBackend: "redis" });
    expect(parseEnv({ SESSION_ENGINE: "cached_db", MEMCACHED_URL: "memcached://127.0.0.1:11211" }).cacheBackend).toBe("memcached");
    expect(parseEnv({ SESSION_ENGINE: "db", MEMCACHED_URL: "memcached://127.0.0.1:11211" }).cacheBackend).toBeNull();
  });

  it("asks which cache keeps the sessions when both Redis and Memcached are configured", () => {
    const both = { SESSION_ENGINE: "cache", REDIS_URL: "redis://127.0.0.1:6379", MEMCACHED_URL: "memcached://127.0.0.1:11211" };
    expect(() => parseEnv(both)).toThrow(/both REDIS_URL and MEMCACHED_URL set: say which one keeps the sessions with SESSION_CACHE_BACKEND=redis or SESSION_CACHE_BACKEND=memcached/);
    expect(parseEnv({ ...both, SESSION_CACHE_BACKEND: "memcached" }).cacheBackend).toBe("memcached");
    expect(parseEnv({ ...both, SESSION_CACHE_BACKEND: "redis" }).cacheBackend).toBe("redis");
    // Redis may serve live updates alone: with the db engine there is nothing to choose.
    expect(parseEnv({ ...both, SESSION_ENGINE: "db" }).cacheBackend).toBeNull();
    expect(() => parseEnv({ SESSION_ENGINE: "cache", REDIS_URL: "redis://127.0.0.1:6379", SESSION_CACHE_BACKEND: "memcached" })).toThrow(/SESSION_CACHE_BACKEND=memcached needs MEMCACHED_URL/);
    expect(() => parseEnv({ SESSION_CACHE_BACKEND: "memcache" })).toThrow(/SESSION_CACHE_BACKEND/);
  });

  it("checks MEMCACHED_URL's servers", () => {
    expect(parseEnv({ MEMCACHED_URL: "memcached://10.0.0.1:11211,10.0.0.2:11211" }).MEMCACHED_URL).toBe("memcached://10.0.0.1:11211,10.0.0.2:11211");
    expect(() => parseEnv({ MEMCACHED_URL: "127.0.0.1" })).toThrow(/MEMCACHED_URL: must list servers as memcached:\/\/host:port/);
  });

  it("reports the framework's cookie rules under the variables' names", () => {
    expect(() => parseEnv({ SESSION_COOKIE_SAMESITE: "None" })).toThrow(
      /invalid configuration\n {2}SESSION_COOKIE_SAMESITE "None" requires SESSION_COOKIE_SECURE to be true \(browsers drop/,
    );
    expect(parseEnv({ SESSION_COOKIE_SAMESITE: "None", SESSION_COOKIE_SECURE: "true" }).session.cookieSameSite).toBe("None");
    expect(() => parseEnv({ SESSION_COOKIE_NAME: "session id" })).toThrow(/SESSION_COOKIE_NAME "session id" is not a valid cookie name/);
    expect(() => parseEnv({ SESSION_COOKIE_PATH: "app" })).toThrow(/SESSION_COOKIE_PATH must start with "\/"/);
    expect(() => parseEnv({ SESSION_COOKIE_AGE: "0" })).toThrow(/SESSION_COOKIE_AGE must be a positive whole number of seconds, got 0/);
  });

  it("hands the framework its config, validated once", () => {
    const env = parseEnv({ SESSION_COOKIE_NAME: "sid", SESSION_COOKIE_SAMESITE: "false", SESSION_IDLE_TIMEOUT: "600" });
    expect(env.session).toMatchObject({ cookieName: "sid", cookieSameSite: false, idleTimeoutSeconds: 600, absoluteLifetimeSeconds: null, cookieAge: 1209600 });
    expect(Object.isFrozen(env.session)).toBe(true);
  });

  describe("in production", () => {
    it("refuses to start without a secret key and says how to make one", () => {
      expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/refusing to start in production without SESSION_SECRET_KEY[\s\S]*randomBytes/);
    });

    it("refuses a short or known-insecure key", () => {
      expect(() => parseEnv({ NODE_ENV: "production", SESSION_SECRET_KEY: "short-key" })).toThrow(/too weak/);
      expect(() => parseEnv({ NODE_ENV: "production", SESSION_SECRET_KEY: "a".repeat(60) })).toThrow(/too weak/);
      expect(() => parseEnv({ NODE_ENV: "production", SESSION_SECRET_KEY: `django-insecure-${STRONG_KEY}` })).toThrow(/insecure/);
    });

    it("starts with a strong key and a Secure cookie", () => {
      expect(parseEnv(PRODUCTION).production).toBe(true);
    });

    it("holds every fallback key to the same rules as the key", () => {
      expect(parseEnv({ ...PRODUCTION, SESSION_SECRET_KEY_FALLBACKS: OLD_STRONG_KEY }).SESSION_SECRET_KEY_FALLBACKS).toEqual([OLD_STRONG_KEY]);
      const weak = [
        ["short-old-key", /key 2 of 2 is too weak/],
        ["b".repeat(64), /key 2 of 2 is too weak/],
        [`django-insecure-${OLD_STRONG_KEY}`, /key 2 of 2 is a known insecure development key/],
        ["sessionscope-insecure-development-key-do-not-use-in-production", /key 2 of 2 is a known insecure development key/],
      ] as const;
      for (const [key, message] of weak) {
        const source = { ...PRODUCTION, SESSION_SECRET_KEY_FALLBACKS: `${OLD_STRONG_KEY},${key}` };
        expect(() => parseEnv(source), key).toThrow(message);
        expect(() => parseEnv(source), key).toThrow(/Remove it from SESSION_SECRET_KEY_FALLBACKS/);
        // The message names the key's position, never the key.
        expect(() => parseEnv(source), key).not.toThrow(key);
      }
    });

    it("refuses a session cookie without Secure, and says what to set", () => {
      const insecure = { NODE_ENV: "production", SESSION_SECRET_KEY: STRONG_KEY };
      expect(() => parseEnv(insecure)).toThrow(/may travel over plain HTTP[\s\S]*SESSION_COOKIE_SECURE=true[\s\S]*TRUST_PROXY=true[\s\S]*SESSIONSCOPE_ALLOW_INSECURE_COOKIE=1/);
      expect(() => parseEnv({ ...insecure, SESSION_COOKIE_SECURE: "false" })).toThrow(/may travel over plain HTTP/);
    });

    it("accepts a cookie made Secure by a trusted TLS proxy, or an insecure one allowed explicitly", () => {
      const insecure = { NODE_ENV: "production", SESSION_SECRET_KEY: STRONG_KEY, SESSION_COOKIE_SECURE: "false" };
      expect(parseEnv({ ...insecure, TRUST_PROXY: "true" }).TRUST_PROXY).toBe(true);
      expect(parseEnv({ ...insecure, SESSIONSCOPE_ALLOW_INSECURE_COOKIE: "1" }).SESSIONSCOPE_ALLOW_INSECURE_COOKIE).toBe(true);
    });

    it("allows the demo to run without a key, with weak fallbacks and without Secure", () => {
      const env = parseEnv({ NODE_ENV: "production", SESSIONSCOPE_DEMO: "1", SESSION_SECRET_KEY_FALLBACKS: "old" });
      expect(env.production).toBe(false);
    });

    it("checks nothing of this outside production", () => {
      expect(parseEnv({ NODE_ENV: "development", SESSION_SECRET_KEY_FALLBACKS: "old" }).production).toBe(false);
    });
  });
});

describe("a Django site's settings (attach mode)", () => {
  const key = "a-django-site-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz";

  it("accepts Django's own SESSION_ENGINE values and its CACHES key prefix and version", () => {
    const env = parseEnv({ SESSION_ENGINE: "django.contrib.sessions.backends.cached_db", REDIS_URL: "redis://127.0.0.1:6379", CACHE_KEY_PREFIX: "site", CACHE_VERSION: "3" });
    expect([env.SESSION_ENGINE, env.CACHE_KEY_PREFIX, env.CACHE_VERSION]).toEqual(["cached_db", "site", 3]);
  });

  it("refuses the pickle serializer and says why and what to do", () => {
    expect(() => parseEnv({ SESSION_SERIALIZER: "django.contrib.sessions.serializers.PickleSerializer" })).toThrow(/JSON sessions only[\s\S]*runs whatever code[\s\S]*JSONSerializer/);
    expect(parseEnv({ SESSION_SERIALIZER: "django.contrib.sessions.serializers.JSONSerializer" }).SESSION_SERIALIZER).toMatch(/JSONSerializer/);
  });

  it("needs the site's SECRET_KEY to attach", () => {
    expect(() => parseEnv({ SESSIONSCOPE_ATTACH: "django" })).toThrow(/SESSION_SECRET_KEY to its SECRET_KEY/);
    expect(parseEnv({ SESSIONSCOPE_ATTACH: "django", SESSION_SECRET_KEY: key }).SESSIONSCOPE_ATTACH).toBe("django");
  });

  it("takes the shop only together with attach mode", () => {
    expect(() => parseEnv({ SESSIONSCOPE_ATTACH_SHOP: "1" })).toThrow(/only applies with SESSIONSCOPE_ATTACH=django/);
    expect(parseEnv({ SESSIONSCOPE_ATTACH: "django", SESSION_SECRET_KEY: key, SESSIONSCOPE_ATTACH_SHOP: "1" }).SESSIONSCOPE_ATTACH_SHOP).toBe(true);
  });

  it("takes the Django site's PBKDF2 work factor and the backfill interval, within bounds", () => {
    expect(parseEnv({})).toMatchObject({ PASSWORD_PBKDF2_ITERATIONS: 600000, SESSIONSCOPE_BACKFILL_INTERVAL: 5 });
    expect(parseEnv({ PASSWORD_PBKDF2_ITERATIONS: "260000", SESSIONSCOPE_BACKFILL_INTERVAL: "30" })).toMatchObject({ PASSWORD_PBKDF2_ITERATIONS: 260000, SESSIONSCOPE_BACKFILL_INTERVAL: 30 });
    expect(() => parseEnv({ PASSWORD_PBKDF2_ITERATIONS: "1000" })).toThrow(/PASSWORD_PBKDF2_ITERATIONS: must be at least 100000/);
    expect(() => parseEnv({ PASSWORD_PBKDF2_ITERATIONS: "600k" })).toThrow(/PASSWORD_PBKDF2_ITERATIONS/);
    expect(() => parseEnv({ SESSIONSCOPE_BACKFILL_INTERVAL: "0" })).toThrow(/SESSIONSCOPE_BACKFILL_INTERVAL/);
    expect(parseEnv({}).SESSIONSCOPE_SHUTDOWN_TIMEOUT).toBe(8);
    expect(parseEnv({ SESSIONSCOPE_SHUTDOWN_TIMEOUT: "30" }).SESSIONSCOPE_SHUTDOWN_TIMEOUT).toBe(30);
    expect(() => parseEnv({ SESSIONSCOPE_SHUTDOWN_TIMEOUT: "-1" })).toThrow(/SESSIONSCOPE_SHUTDOWN_TIMEOUT/);
  });
});

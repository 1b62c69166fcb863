import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  ACTIVITY_KEY, CREATED_KEY, DEFAULT_SESSION_POLICY, EXPIRY_KEY, computeStoredExpiry, formatIsoDate, getCookieMaxAge,
  getDeadlines, getExpireAtBrowserClose, getExpiredReason, getExpiryAge, getExpiryDate, getSessionEnd, parseIsoDate, shouldRefreshActivity,
} from "./expiry.ts";
import { PyDatetime, PyTimedelta, PyTimezone } from "./python-values.ts";
import { loadsPickle } from "./engines/pickle-read.ts";
import { loadVector } from "../../test/fixtures/django-vectors.ts";
import { djangoAvailable } from "../../test/helpers/django.ts";

const NOW = new Date(1_700_000_000_000);
const policy = DEFAULT_SESSION_POLICY;
const data = (entries: Record<string, unknown>) => new Map(Object.entries(entries));
const at = (seconds: number) => new Date(seconds * 1000);

describe("Django's expiry semantics", () => {
  it("absent expiry uses the cookie age; the db row expires at now + age (db.json simple_string)", () => {
    const v = loadVector("db.json", "simple_string");
    expect(getExpiryAge({ data: data({}), policy, now: NOW })).toBe(1_209_600);
    expect(getExpiryDate({ data: data({}), policy, now: NOW }).toISOString()).toBe(String(v.expire_date).replace("Z", ".000Z"));
  });

  it("integer seconds slide from now (db.json expiry_seconds)", () => {
    const v = loadVector("db.json", "expiry_seconds");
    const input = { data: data({ [EXPIRY_KEY]: 300 }), policy, now: NOW };
    expect(getExpiryAge(input)).toBe(300);
    expect(getExpiryDate(input).toISOString()).toBe(String(v.expire_date).replace("Z", ".000Z"));
    expect(getExpireAtBrowserClose(input)).toBe(false);
  });

  it("0 means browser close but the row keeps the cookie age (db.json expiry_browser_close)", () => {
    const v = loadVector("db.json", "expiry_browser_close");
    const input = { data: data({ [EXPIRY_KEY]: 0 }), policy, now: NOW };
    expect(getExpireAtBrowserClose(input)).toBe(true);
    expect(getExpiryDate(input).toISOString()).toBe(String(v.expire_date).replace("Z", ".000Z"));
    expect(getCookieMaxAge(input)).toBeNull();
  });

  it("absent expiry follows SESSION_EXPIRE_AT_BROWSER_CLOSE", () => {
    expect(getExpireAtBrowserClose({ data: data({}), policy: { ...policy, expireAtBrowserClose: true } })).toBe(true);
    expect(getExpireAtBrowserClose({ data: data({ [EXPIRY_KEY]: 60 }), policy: { ...policy, expireAtBrowserClose: true } })).toBe(false);
  });

  it("an ISO string is a fixed date; the age drops the fraction like timedelta (floor)", () => {
    const input = (iso: string) => ({ data: data({ [EXPIRY_KEY]: iso }), policy, now: NOW });
    expect(getExpiryDate(input("2023-11-14T23:13:20+00:00"))).toEqual(at(1_700_003_600));
    expect(getExpiryAge(input("2023-11-14T23:13:20.900000+00:00"))).toBe(3600);
    expect(getExpiryAge(input("2023-11-14T22:13:19.500000+00:00"))).toBe(-1);
    expect(getExpiryAge(input("2023-11-15T00:13:20+01:00"))).toBe(3600);
  });

  it("negative expiry and a past date are expired on load (db.json expired_row)", () => {
    const v = loadVector("db.json", "expired_row");
    expect(getExpiredReason({ data: new Map(Object.entries(v.decoded as object)), policy, now: NOW })).toMatch(/negative/);
    expect(getExpiredReason({ data: data({ [EXPIRY_KEY]: "2023-11-14T22:13:20+00:00" }), policy, now: NOW })).toMatch(/passed/);
    expect(getExpiredReason({ data: data({ [EXPIRY_KEY]: 300 }), policy, now: NOW })).toBeNull();
  });
});

describe("ISO dates as Django 4.2+ writes them", () => {
  it("formats and parses Python's isoformat", () => {
    expect(formatIsoDate(at(1_700_003_600))).toBe("2023-11-14T23:13:20+00:00");
    expect(formatIsoDate(new Date(1_700_003_600_123))).toBe("2023-11-14T23:13:20.123000+00:00");
    expect(parseIsoDate("2023-11-14T23:13:20.123456+00:00")).toEqual(new Date(1_700_003_600_123));
    expect(parseIsoDate("2023-11-14 23:13:20")).toEqual(at(1_700_003_600));
    expect(parseIsoDate("tomorrow")).toBeNull();
  });
});

describe("SessionScope limits", () => {
  const limited = { ...policy, idleTimeoutSeconds: 1800, absoluteLifetimeSeconds: 8 * 3600 };

  it("an active session still dies at created + absolute lifetime", () => {
    const session = data({ [CREATED_KEY]: 1_700_000_000, [ACTIVITY_KEY]: 1_700_028_000 });
    expect(getExpiredReason({ data: session, policy: limited, now: at(1_700_028_799) })).toBeNull();
    expect(getExpiredReason({ data: session, policy: limited, now: at(1_700_028_800) })).toMatch(/absolute/);
  });

  it("an unused session dies after the idle timeout", () => {
    const session = data({ [CREATED_KEY]: 1_700_000_000, [ACTIVITY_KEY]: 1_700_000_100 });
    expect(getExpiredReason({ data: session, policy: limited, now: at(1_700_001_899) })).toBeNull();
    expect(getExpiredReason({ data: session, policy: limited, now: at(1_700_001_900) })).toMatch(/idle/);
  });

  it("caps the stored expiry and the cookie Max-Age by the limits", () => {
    const session = data({ [CREATED_KEY]: 1_700_000_000 - 8 * 3600 + 600 });
    expect(computeStoredExpiry({ data: session, policy: limited, now: NOW })).toEqual(at(1_700_000_600));
    expect(getCookieMaxAge({ data: session, policy: limited, now: NOW })).toBe(600);
    expect(computeStoredExpiry({ data: data({ [CREATED_KEY]: 1_700_000_000 }), policy: limited, now: NOW })).toEqual(at(1_700_001_800));
    expect(computeStoredExpiry({ data: session, policy, now: NOW })).toEqual(at(1_701_209_600));
  });

  it("refreshes activity at most every min(60 s, timeout/10)", () => {
    const session = data({ [ACTIVITY_KEY]: 1_700_000_000 });
    expect(shouldRefreshActivity({ data: session, policy: limited, now: at(1_700_000_059) })).toBe(false);
    expect(shouldRefreshActivity({ data: session, policy: limited, now: at(1_700_000_060) })).toBe(true);
    expect(shouldRefreshActivity({ data: session, policy, now: at(1_800_000_000) })).toBe(false);
  });
});

describe("getDeadlines", () => {
  const limits = { ...policy, idleTimeoutSeconds: 1800, absoluteLifetimeSeconds: 86_400 };

  it("idle from the last recorded use (else creation), absolute from creation", () => {
    expect(getDeadlines({ data: data({ [CREATED_KEY]: 1_000, [ACTIVITY_KEY]: 5_000 }), policy: limits })).toEqual({ idle: at(6_800), absolute: at(87_400) });
    expect(getDeadlines({ data: data({ [CREATED_KEY]: 1_000 }), policy: limits })).toEqual({ idle: at(2_800), absolute: at(87_400) });
  });

  it("none when the limit is off or the session does not say when it began", () => {
    expect(getDeadlines({ data: data({ [CREATED_KEY]: 1_000 }), policy })).toEqual({ idle: null, absolute: null });
    expect(getDeadlines({ data: data({}), policy: limits })).toEqual({ idle: null, absolute: null });
  });

  it("agrees with getExpiredReason at the deadline", () => {
    const input = { data: data({ [CREATED_KEY]: 1_000 }), policy: limits };
    const { idle } = getDeadlines(input);
    expect(getExpiredReason({ ...input, now: new Date(idle!.getTime() - 1) })).toBeNull();
    expect(getExpiredReason({ ...input, now: idle! })).toBe("idle timeout exceeded");
  });
});

describe("why a session ends", () => {
  const seconds = NOW.getTime() / 1000;
  const stored = new Date(NOW.getTime() + 5 * 86_400_000);

  it("by default the stored date, set by the cookie age", () => {
    const end = getSessionEnd({ data: data({ [CREATED_KEY]: seconds - 60 }), policy, now: NOW, storedExpiry: stored });
    expect(end).toMatchObject({ reason: "cookie_age", at: stored, atBrowserClose: false });
  });

  it("without a stored date, the date a save now would store", () => {
    expect(getSessionEnd({ data: data({}), policy, now: NOW }).at).toEqual(new Date(NOW.getTime() + 1_209_600_000));
  });

  it("set_expiry: seconds slide from the stored date, an ISO date is that date", () => {
    expect(getSessionEnd({ data: data({ [EXPIRY_KEY]: 300 }), policy, now: NOW, storedExpiry: stored }).reason).toBe("set_expiry");
    const fixed = getSessionEnd({ data: data({ [EXPIRY_KEY]: "2023-11-15T00:00:00+00:00" }), policy, now: NOW, storedExpiry: stored });
    expect(fixed).toMatchObject({ reason: "set_expiry", at: new Date("2023-11-15T00:00:00Z") });
  });

  it("the idle timeout counts from the last recorded activity, and wins the tie with the date it capped", () => {
    const idle = { ...policy, idleTimeoutSeconds: 1800 };
    const lastUse = seconds - 600;
    const capped = new Date((lastUse + 1800) * 1000);
    const end = getSessionEnd({ data: data({ [CREATED_KEY]: seconds - 7200, [ACTIVITY_KEY]: lastUse }), policy: idle, now: NOW, storedExpiry: capped });
    expect(end).toMatchObject({ reason: "idle_timeout", at: capped });
    expect(end.deadlines.map((d) => d.reason)).toEqual(["idle_timeout", "cookie_age"]);
  });

  it("the absolute lifetime ends an active session first once it comes sooner", () => {
    const limits = { ...policy, idleTimeoutSeconds: 1800, absoluteLifetimeSeconds: 3600 };
    const end = getSessionEnd({ data: data({ [CREATED_KEY]: seconds - 3000, [ACTIVITY_KEY]: seconds }), policy: limits, now: NOW, storedExpiry: stored });
    expect(end).toMatchObject({ reason: "absolute_lifetime", at: at(seconds + 600) });
  });

  it("says when the cookie dies with the browser, keeping the server-side deadline", () => {
    const end = getSessionEnd({ data: data({ [EXPIRY_KEY]: 0 }), policy, now: NOW, storedExpiry: stored });
    expect(end).toMatchObject({ reason: "cookie_age", at: stored, atBrowserClose: true });
  });
});

describe("a datetime object in _session_expiry (Django 3.2's set_expiry(timedelta) on a cache engine)", () => {
  const expiry = (value: unknown) => ({ data: data({ [EXPIRY_KEY]: value }), policy, now: NOW });

  it("is that date, whatever its tzinfo; a naive one is read as UTC", () => {
    const inAMonth = PyDatetime.fromDate(new Date(NOW.getTime() + 30 * 86_400_000 + 250), PyTimezone.PYTZ_UTC);
    expect(getExpiryDate(expiry(inAMonth))).toEqual(new Date(NOW.getTime() + 30 * 86_400_000 + 250));
    expect(getExpiryAge(expiry(inAMonth))).toBe(30 * 86_400);
    expect(getExpireAtBrowserClose(expiry(inAMonth))).toBe(false);
    expect(getExpiredReason(expiry(inAMonth))).toBeNull();
    expect(getCookieMaxAge(expiry(inAMonth))).toBe(30 * 86_400);
    expect(getSessionEnd(expiry(inAMonth))).toMatchObject({ reason: "set_expiry", at: inAMonth.toDate() });
    const plus2 = PyTimezone.of(new PyTimedelta(0, 7200));
    expect(getExpiryDate(expiry(new PyDatetime(2023, 11, 15, 2, 0, 0, 0, plus2)))).toEqual(new Date("2023-11-15T00:00:00Z"));
    expect(getExpiryDate(expiry(new PyDatetime(2023, 11, 15)))).toEqual(new Date("2023-11-15T00:00:00Z"));
  });

  it("in the past ends the session; a timedelta there is not a date (Django 3.2 would fail on it too) and ends it as invalid", () => {
    expect(getExpiredReason(expiry(PyDatetime.fromDate(new Date(NOW.getTime() - 1), PyTimezone.UTC)))).toBe("session expiry date has passed");
    expect(getExpiredReason(expiry(new PyTimedelta(30)))).toBe("invalid _session_expiry value");
  });

  it.skipIf(!djangoAvailable())("gives Django 3.2's own get_expiry_age and get_expiry_date for the pickle Django writes", () => {
    const script = `import datetime as dt, json, pickle, sys
from django.conf import settings
settings.configure(USE_TZ=True, SESSION_COOKIE_AGE=1209600)
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone
now = dt.datetime.fromtimestamp(${NOW.getTime() / 1000}, tz=timezone.utc)
out = []
for delta in (dt.timedelta(days=30), dt.timedelta(seconds=90, microseconds=999999), dt.timedelta(seconds=-5, microseconds=1)):
    s = SessionBase()
    s._session_cache = {}
    s.set_expiry(now + delta)  # as set_expiry(delta) at "now" does: timezone.now() + delta
    value = s["_session_expiry"]
    out.append([pickle.dumps(dict(s._session), 5).hex(), s.get_expiry_age(modification=now), s.get_expiry_date(modification=now).isoformat(), type(value.tzinfo).__module__])
print(json.dumps(out))`;
    const result = spawnSync("/usr/bin/python3", ["-c", script], { encoding: "utf8" });
    if (result.status !== 0) throw new Error(result.stderr);
    const cases = JSON.parse(result.stdout) as [string, number, string, string][];
    expect(cases.map((c) => c[3])).toEqual(["pytz", "pytz", "pytz"]); // Django 3.2's utc is pytz's
    for (const [hex, age, date] of cases) {
      const stored = loadsPickle(Buffer.from(hex, "hex"));
      const input = { data: stored, policy, now: NOW };
      expect(getExpiryAge(input)).toBe(age);
      expect((stored.get(EXPIRY_KEY) as PyDatetime).isoformat()).toBe(date);
      expect(getExpiryDate(input)).toEqual(parseIsoDate(date));
    }
  });
});

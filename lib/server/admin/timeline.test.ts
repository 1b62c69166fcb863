import { describe, expect, it } from "vitest";
import { DEFAULT_SESSION_POLICY } from "@/lib/session";
import { buildTimeline, formatDuration } from "./timeline.ts";

const NOW = new Date("2026-03-01T12:00:00.000Z");
const at = (iso: string) => new Date(iso);
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

describe("formatDuration", () => {
  it.each([
    [0, "0 s"],
    [45_400, "45 s"],
    [59_600, "1 min"],
    [14 * 60_000, "14 min"],
    [(2 * 3600 + 13 * 60 + 59.5) * 1000, "2 h 14 min"],
    [3 * 3600_000, "3 h"],
    [(3 * 86_400 + 4 * 3600) * 1000, "3 days 4 h"],
    [21 * 86_400_000 + 3600_000, "21 days"],
    [-90_000, "2 min"],
  ])("%d ms → %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("buildTimeline", () => {
  const created = at("2026-03-01T09:00:00.000Z");

  it("orders the markers on one axis and names the first deadline", () => {
    const data = new Map<string, unknown>([["_session_created", seconds(created)], ["_session_activity", seconds(at("2026-03-01T11:30:00Z"))], ["_auth_user_id", "7"]]);
    const { timeline, endsBecause } = buildTimeline({
      now: NOW,
      data,
      policy: { ...DEFAULT_SESSION_POLICY, idleTimeoutSeconds: 3600, absoluteLifetimeSeconds: 8 * 3600 },
      createdAt: created,
      lastActivity: at("2026-03-01T11:45:00Z"),
      expireDate: at("2026-03-01T12:30:00Z"),
      username: "alice",
    });
    expect(timeline.map((m) => [m.kind, m.at.slice(11, 16), m.label])).toEqual([
      ["created", "09:00", "created 3 h ago"],
      ["login", "09:00", "signed in as alice, at or after creation (logins are not timed separately)"],
      ["last_activity", "11:45", "last used 15 min ago"],
      ["now", "12:00", "now"],
      ["idle_deadline", "12:30", "ends in 30 min: idle timeout"],
      ["cookie_expiry", "12:30", "ends in 30 min: cookie expiry"],
      ["absolute_deadline", "17:00", "ends in 5 h: absolute lifetime"],
    ]);
    expect(endsBecause).toBe("idle timeout in 30 min");
  });

  it("says how a dead session ended, and shows only stored times when the data is unreadable", () => {
    const { timeline, endsBecause } = buildTimeline({
      now: NOW,
      data: null,
      policy: DEFAULT_SESSION_POLICY,
      createdAt: created,
      lastActivity: null,
      expireDate: at("2026-03-01T10:00:00Z"),
      username: null,
    });
    expect(timeline.map((m) => m.kind)).toEqual(["created", "cookie_expiry", "now"]);
    expect(endsBecause).toBe("ended 2 h ago: cookie expiry");
  });

  it("marks a Django-written session's creation as estimated and says how", () => {
    const { timeline } = buildTimeline({
      now: NOW,
      data: new Map<string, unknown>([["_auth_user_id", "7"]]),
      policy: DEFAULT_SESSION_POLICY,
      createdAt: created,
      createdEstimated: true,
      lastActivity: null,
      expireDate: at("2026-03-15T09:00:00Z"),
      username: "alice",
    });
    expect(timeline.find((m) => m.kind === "created")).toEqual({
      kind: "created",
      at: created.toISOString(),
      label: expect.stringMatching(/^created ≈ 3 h ago: estimated as the expiry less SESSION_COOKIE_AGE/),
      estimated: true,
    });
  });
});

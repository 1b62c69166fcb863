import { describe, expect, it } from "vitest";
import {
  expiryStatus, formatAxisLabel, formatBytes, formatCount, formatDuration, fromUtcInputValue, killQuestion, labelLanes, logTimeAxis, maskSecret, timeAxis, toUtcInputValue,
} from "./admin-format.ts";

const NOW = Date.parse("2026-11-30T12:00:00Z");
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe("counts and sizes", () => {
  it("counts with thousands separators and the right plural", () => {
    expect(formatCount(1_024, "session")).toBe("1,024 sessions");
    expect(formatCount(1, "session")).toBe("1 session");
    expect(formatCount(0, "session")).toBe("0 sessions");
    expect(formatCount(1_024_310, "entry", "entries")).toBe("1,024,310 entries");
  });

  it("sizes in bytes, kilobytes and megabytes", () => {
    expect(formatBytes(312)).toBe("312 B");
    expect(formatBytes(4_096)).toBe("4.1 kB");
    expect(formatBytes(48_000)).toBe("48 kB");
    expect(formatBytes(1_200_000)).toBe("1.2 MB");
  });
});

describe("durations", () => {
  it("reads in at most two units, the larger first", () => {
    expect(formatDuration(2 * HOUR + 14 * MIN + 59_000)).toBe("2 h 14 min");
    expect(formatDuration(3 * DAY + 4 * HOUR + 5 * MIN)).toBe("3 days 4 h");
    expect(formatDuration(DAY)).toBe("1 day");
    expect(formatDuration(45_500)).toBe("45 s");
  });

  it("does not skip a unit: 2 h and 5 s is 2 h, not 2 h 5 s", () => {
    expect(formatDuration(2 * HOUR + 5_000)).toBe("2 h");
  });

  it("is the same length either side of now", () => {
    expect(formatDuration(-90 * MIN)).toBe("1 h 30 min");
    expect(formatDuration(0)).toBe("0 s");
  });
});

describe("expiry status", () => {
  const row = (offset: number, status: "active" | "expired" = "active") => ({ status, expiresAt: new Date(NOW + offset).toISOString() });

  it("an active session with less than an hour left is expiring soon", () => {
    expect(expiryStatus(row(59 * MIN), NOW)).toBe("expiring");
    expect(expiryStatus(row(HOUR), NOW)).toBe("active");
  });

  it("a session past its expiry is expired even if the server read it as active a moment ago", () => {
    expect(expiryStatus(row(-1), NOW)).toBe("expired");
    expect(expiryStatus(row(DAY, "expired"), NOW)).toBe("expired");
  });
});

describe("time axis", () => {
  it("places moments between the earliest and the latest", () => {
    const axis = timeAxis([NOW, NOW + 4 * DAY, NOW + DAY]);
    expect(axis.start).toBe(NOW);
    expect(axis.end).toBe(NOW + 4 * DAY);
    expect(axis.position(NOW + DAY)).toBe(0.25);
  });

  it("clamps what lies outside, so an expired session draws an empty bar", () => {
    const axis = timeAxis([NOW, NOW + DAY]);
    expect(axis.position(NOW - HOUR)).toBe(0);
    expect(axis.position(NOW + 2 * DAY)).toBe(1);
  });

  it("survives a single moment and ignores invalid ones", () => {
    const axis = timeAxis([NOW, Number.NaN]);
    expect(axis.end).toBeGreaterThan(axis.start);
    expect(axis.position(NOW)).toBe(0);
  });
});

describe("secrets and inputs", () => {
  it("masks all but the last four characters", () => {
    expect(maskSecret("4f0e9c4d7b1a2b")).toBe("••••1a2b");
    expect(maskSecret(maskSecret("4f0e9c4d7b1a2b"))).toBe("••••1a2b");
  });

  it("shows and reads datetime-local values as UTC", () => {
    expect(toUtcInputValue("2026-11-30T10:05:42.000Z")).toBe("2026-11-30T10:05");
    expect(fromUtcInputValue("2026-11-30T10:05")).toBe("2026-11-30T10:05:00.000Z");
    expect(toUtcInputValue(null)).toBe("");
    expect(fromUtcInputValue("")).toBeNull();
    expect(fromUtcInputValue("yesterday")).toBeNull();
  });
});

describe("axis labels", () => {
  it("name the day on an axis of days, the UTC time on an axis of hours", () => {
    expect(formatAxisLabel(Date.parse("2026-12-14T18:40:00Z"), 14 * DAY)).toBe("14 Dec");
    expect(formatAxisLabel(Date.parse("2026-12-14T18:40:00Z"), 3 * HOUR)).toBe("18:40");
  });
});

describe("kill questions", () => {
  it("name the count, and the user when there is one", () => {
    expect(killQuestion(37, "alice")).toBe("End 37 sessions of alice?");
    expect(killQuestion(1)).toBe("End 1 session?");
    expect(killQuestion(1_200, null)).toBe("End 1,200 sessions?");
  });
});

describe("label lanes", () => {
  it("keeps labels that are far apart in the first lane", () => {
    expect(labelLanes([0, 0.3, 0.6, 0.9], 0.2)).toEqual([0, 0, 0, 0]);
  });

  it("moves a label that would overlap its neighbour to the next free lane", () => {
    // created and login at the same moment, last activity just after, deadlines far right
    expect(labelLanes([0, 0, 0.05, 0.5, 0.98, 1], 0.15)).toEqual([0, 1, 2, 0, 0, 1]);
  });
});

describe("the timeline's axis", () => {
  const axis = logTimeAxis([NOW - 6 * HOUR, NOW - 17 * MIN, NOW + 2 * HOUR, NOW + 14 * DAY], NOW);

  it("runs from the earliest moment to the latest, in time order", () => {
    const order = [NOW - 6 * HOUR, NOW - 17 * MIN, NOW, NOW + 2 * HOUR, NOW + 14 * DAY].map(axis.position);
    expect(order[0]).toBe(0);
    expect(order[4]).toBe(1);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("keeps moments near now apart although the axis spans two weeks", () => {
    // On a linear axis 17 minutes ago and in 2 hours would be 0.7 % of the width apart.
    expect(axis.position(NOW + 2 * HOUR) - axis.position(NOW - 17 * MIN)).toBeGreaterThan(0.25);
  });

  it("puts now at the left end when nothing lies in the past", () => {
    expect(logTimeAxis([NOW, NOW + DAY], NOW).position(NOW)).toBe(0);
  });

  it("gives a session created seconds ago a visible past, however far its expiry", () => {
    const fresh = logTimeAxis([NOW - 5_000, NOW - 2_000, NOW + 14 * DAY], NOW);
    expect(fresh.position(NOW - 5_000)).toBe(0);
    expect(fresh.position(NOW)).toBeCloseTo(0.2);
    expect(fresh.position(NOW - 2_000)).toBeGreaterThan(0.05);
    expect(fresh.position(NOW + 14 * DAY)).toBe(1);
  });
});

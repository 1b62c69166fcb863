import { describe, expect, it } from "vitest";
import { decodeEvent, encodeEvent, EventTooLarge, MAX_PAYLOAD_BYTES } from "./codec.ts";

const event = { type: "session.killed", at: "2026-11-30T12:00:00.000Z", origin: "a", userId: 7, count: 3 } as const;

describe("events on the wire", () => {
  it("round-trips an event through its JSON payload", () => {
    expect(decodeEvent(encodeEvent(event))).toEqual(event);
    expect(decodeEvent(encodeEvent({ type: "policy.changed", at: event.at, origin: "b" }))).toEqual({ type: "policy.changed", at: event.at, origin: "b" });
    expect(decodeEvent(encodeEvent({ ...event, userId: null }))).toEqual({ ...event, userId: null });
  });

  it("drops what is not an event: bad JSON, unknown types, wrong field types, oversize payloads", () => {
    const payloads = [
      "not json",
      "null",
      "[]",
      JSON.stringify({ ...event, type: "session.hijacked" }),
      JSON.stringify({ ...event, at: "yesterday" }),
      JSON.stringify({ ...event, origin: "" }),
      JSON.stringify({ ...event, userId: "7" }),
      JSON.stringify({ ...event, count: -1 }),
      JSON.stringify({ ...event, count: 1.5 }),
      JSON.stringify({ ...event, padding: "x".repeat(MAX_PAYLOAD_BYTES) }),
    ];
    for (const payload of payloads) expect(decodeEvent(payload), payload.slice(0, 60)).toBeNull();
  });

  it("carries only the event's own fields, and refuses one over NOTIFY's 8000-byte limit", () => {
    const extra = { ...event, sessionKey: "secret" } as typeof event;
    expect(JSON.parse(encodeEvent(extra))).not.toHaveProperty("sessionKey");
    expect(() => encodeEvent({ ...event, origin: "o".repeat(MAX_PAYLOAD_BYTES) })).toThrow(EventTooLarge);
  });
});

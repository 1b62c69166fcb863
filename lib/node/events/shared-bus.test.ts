import { describe, expect, it } from "vitest";
import { backoffDelay } from "./postgres-transport.ts";
import { createSharedBus, type EventTransport } from "./shared-bus.ts";

/** A channel in memory standing in for NOTIFY or PUBLISH: every listening transport hears every payload, its sender's too. */
function createChannel() {
  const listeners = new Set<(payload: string) => void>();
  const sent: string[] = [];
  return {
    sent,
    transport(): EventTransport {
      return {
        name: "memory",
        async send(payload) {
          sent.push(payload);
          for (const listener of listeners) listener(payload);
        },
        listen: (listener) => void listeners.add(listener),
        async close() {},
      };
    },
    inject(payload: string) {
      for (const listener of listeners) listener(payload);
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("a bus shared between instances", () => {
  it("delivers an event once on its own instance and once on every other", async () => {
    const channel = createChannel();
    const a = createSharedBus(channel.transport(), { instanceId: "a" });
    const b = createSharedBus(channel.transport(), { instanceId: "b" });
    const seen: string[] = [];
    a.subscribe((event) => seen.push(`a:${event.type}:${event.origin}`));
    b.subscribe((event) => seen.push(`b:${event.type}:${event.origin}`));
    a.publish({ type: "session.login", userId: 1 });
    await settle();
    expect(seen.sort()).toEqual(["a:session.login:a", "b:session.login:a"]);
  });

  it("ignores garbage on the channel, and keeps publishing locally when the transport fails", async () => {
    const errors: unknown[] = [];
    const failing: EventTransport = { name: "down", send: () => Promise.reject(new Error("connection refused")), listen: () => {}, async close() {} };
    const bus = createSharedBus(failing, { instanceId: "a", onSendError: (error) => errors.push(error) });
    const seen: string[] = [];
    bus.subscribe((event) => seen.push(event.type));
    expect(() => bus.publish({ type: "policy.changed" })).not.toThrow();
    await settle();
    expect(seen).toEqual(["policy.changed"]);
    expect(errors.map(String)).toEqual(["Error: connection refused"]);

    const channel = createChannel();
    const b = createSharedBus(channel.transport(), { instanceId: "b" });
    const heard: string[] = [];
    b.subscribe((event) => heard.push(event.type));
    channel.inject("{not json");
    channel.inject(JSON.stringify({ type: "role.changed", at: "2026-11-30T12:00:00Z", origin: "c", userId: 2 }));
    expect(heard).toEqual(["role.changed"]);
  });

  it("waits longer after each failed reconnect, up to a ceiling, with jitter", () => {
    const fixed = () => 1;
    expect([0, 1, 2, 3, 10, 100].map((attempt) => backoffDelay(attempt, { initialMs: 250, maxMs: 10_000 }, fixed))).toEqual([250, 500, 1000, 2000, 10_000, 10_000]);
    expect(backoffDelay(0, { initialMs: 1000, maxMs: 10_000 }, () => 0)).toBe(800);
  });
});

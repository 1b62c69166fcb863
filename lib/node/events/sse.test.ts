import { describe, expect, it } from "vitest";
import { createListenerSet, stampEvent, type AdminEventInput } from "./bus.ts";
import { createEventStream, createStreamLimiter } from "./sse.ts";

function openStream(options: { stillAllowed?: () => Promise<boolean>; heartbeatMs?: number } = {}) {
  const listeners = createListenerSet();
  const abort = new AbortController();
  let closed = 0;
  const stream = createEventStream({
    bus: { subscribe: (listener) => listeners.add(listener) },
    signal: abort.signal,
    stillAllowed: options.stillAllowed ?? (async () => true),
    heartbeatMs: options.heartbeatMs ?? 60_000,
    onClose: () => closed++,
  });
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  return {
    publish: (input: AdminEventInput) => listeners.deliver(stampEvent(input, "instance-a", () => Date.UTC(2026, 10, 30, 12))),
    listeners,
    abort: () => abort.abort(),
    closed: () => closed,
    async read(): Promise<string | null> {
      const { value, done } = await reader.read();
      return done ? null : decoder.decode(value);
    },
  };
}

describe("the dashboard's event stream", () => {
  it("opens with a retry hint, then writes each event as `event: <type>` with its visible fields", async () => {
    const s = openStream();
    expect(await s.read()).toBe("retry: 2000\n: connected\n\n");
    s.publish({ type: "session.killed", userId: 7, count: 2 });
    expect(await s.read()).toBe('event: session.killed\ndata: {"type":"session.killed","at":"2026-11-30T12:00:00.000Z","userId":7,"count":2}\n\n');
    s.publish({ type: "policy.changed" });
    expect(await s.read()).toBe('event: policy.changed\ndata: {"type":"policy.changed","at":"2026-11-30T12:00:00.000Z"}\n\n');
  });

  it("unsubscribes and ends when the client goes away", async () => {
    const s = openStream();
    await s.read();
    expect(s.listeners.size).toBe(1);
    s.abort();
    expect(await s.read()).toBeNull();
    expect(s.listeners.size).toBe(0);
    expect(s.closed()).toBe(1);
  });

  it("sends heartbeats, and ends at the first one after the viewer lost the right to watch", async () => {
    let allowed = true;
    const s = openStream({ heartbeatMs: 20, stillAllowed: async () => allowed });
    await s.read();
    expect(await s.read()).toBe(": heartbeat\n\n");
    allowed = false;
    let chunk: string | null;
    do chunk = await s.read();
    while (chunk !== null);
    expect(s.listeners.size).toBe(0);
  });

  it("asks again after a kill, and ends at once when it was this viewer's session", async () => {
    let checks = 0;
    const s = openStream({
      stillAllowed: async () => {
        checks++;
        return false;
      },
    });
    await s.read();
    s.publish({ type: "session.login", userId: 1 });
    await s.read();
    expect(checks).toBe(0); // a login cannot end anyone's right to watch
    s.publish({ type: "session.killed", userId: 9, count: 1 });
    expect(await s.read()).toMatch(/^event: session.killed\n/);
    expect(await s.read()).toBeNull();
    expect(checks).toBe(1);
  });

  it("keeps the stream when the check itself fails (a database hiccup); the next one decides", async () => {
    const s = openStream({ heartbeatMs: 20, stillAllowed: async () => Promise.reject(new Error("database down")) });
    await s.read();
    expect(await s.read()).toBe(": heartbeat\n\n");
    expect(await s.read()).toBe(": heartbeat\n\n");
    s.abort();
  });
});

describe("the cap on open streams", () => {
  it("refuses past the cap and frees a place when a stream closes (once, however often released)", () => {
    const limiter = createStreamLimiter(2);
    const first = limiter.acquire();
    expect(limiter.acquire()).not.toBeNull();
    expect(limiter.acquire()).toBeNull();
    first!();
    first!();
    expect(limiter.open).toBe(1);
    expect(limiter.acquire()).not.toBeNull();
    expect(limiter.acquire()).toBeNull();
  });
});

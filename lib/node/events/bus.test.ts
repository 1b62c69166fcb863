import { describe, expect, it } from "vitest";
import { createLocalBus } from "./bus.ts";

describe("the in-process event bus", () => {
  it("delivers a published event, stamped with its time and this instance, to every listener", async () => {
    const bus = createLocalBus({ instanceId: "a", now: () => Date.UTC(2026, 10, 30, 12) });
    const seen: unknown[] = [];
    bus.subscribe((event) => seen.push(["first", event]));
    bus.subscribe((event) => seen.push(["second", event.type]));
    bus.publish({ type: "session.login", userId: 7 });
    expect(seen).toEqual([]); // a publisher never waits on listeners
    await Promise.resolve();
    expect(seen).toEqual([
      ["first", { type: "session.login", userId: 7, at: "2026-11-30T12:00:00.000Z", origin: "a" }],
      ["second", "session.login"],
    ]);
  });

  it("keeps delivering after a listener throws, and stops delivering to one that unsubscribed", async () => {
    const errors: unknown[] = [];
    const bus = createLocalBus({ onListenerError: (error) => errors.push(error) });
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error("broken listener");
    });
    const unsubscribe = bus.subscribe((event) => seen.push(event.type));
    bus.publish({ type: "session.killed", count: 3 });
    await Promise.resolve();
    unsubscribe();
    bus.publish({ type: "policy.changed" });
    await Promise.resolve();
    expect(seen).toEqual(["session.killed"]);
    expect(errors.map(String)).toEqual(["Error: broken listener", "Error: broken listener"]);
  });
});

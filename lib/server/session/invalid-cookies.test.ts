import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqliteDatabase, type TestDatabase } from "../../../test/helpers/databases.ts";
import { parseEnv } from "../../node/env.ts";
import { createSessionRuntime } from "../../node/session/runtime.ts";
import { createInvalidCookieMonitor, invalidCookieKind, invalidCookieMonitor, keyPrefix } from "./invalid-cookies.ts";
import { openRequestSession } from "./lifecycle.ts";

describe("rejected session cookies", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createSqliteDatabase();
  });
  afterAll(() => t.dispose());

  const runtimeWith = (secretKey: string) => createSessionRuntime(parseEnv({ DATABASE_URL: t.url, SESSION_SECRET_KEY: secretKey }), t.db, null);

  it("are counted by kind as the framework reports them, for the dashboard", async () => {
    const before = invalidCookieMonitor().stats();
    const runtime = runtimeWith("the-current-secret-key");
    const saved = await runtime.openSession(null, await runtime.policy.get()).load();
    saved.set("cart", 1);
    await saved.save();

    await (await openRequestSession(runtime, "x".repeat(32))).load(); // no such session
    await (await openRequestSession(runtime, "short")).load(); // not a key Django would look up
    // Rotated without a fallback: the stored value no longer verifies.
    const rotated = await (await openRequestSession(runtimeWith("a-new-secret-key-with-no-fallback"), saved.key)).load();
    expect(rotated.key).toBeNull();
    await (await openRequestSession(runtime, saved.key)).load(); // still fine with the right key

    const after = invalidCookieMonitor().stats();
    expect(after.total - before.total).toBe(3);
    const added = (kind: keyof typeof after.byKind) => (after.byKind[kind] ?? 0) - (before.byKind[kind] ?? 0);
    expect([added("unknown"), added("invalid_key"), added("bad_signature")]).toEqual([1, 1, 1]);
  });

  it.each([
    ["session not found or expired", "unknown"],
    ["session data rejected: signature does not match", "bad_signature"],
    ["session data rejected: signature age 1209700 > 1209600 seconds", "expired"],
    ["session data rejected: payload is not valid JSON (Unexpected token)", "malformed"],
    ["session expiry date has passed", "expired"],
    ["invalid _session_expiry value", "expired"],
    ["idle timeout exceeded", "idle_timeout"],
    ["absolute session lifetime exceeded", "absolute_lifetime"],
    ["malformed session key", "invalid_key"],
  ])("%j is %s", (reason, kind) => {
    expect(invalidCookieKind(reason)).toBe(kind);
  });

  it("are logged by a short prefix only, and a flood costs a few lines a minute", () => {
    let now = 0;
    const lines: string[] = [];
    const monitor = createInvalidCookieMonitor({ write: (line) => lines.push(line), linesPerMinute: 3, clock: () => now });
    const key = "q6msx8ab8dcoae3xb4zz157a2v5lguvu";
    for (let i = 0; i < 5_000; i++) monitor.report("session not found or expired", key);
    monitor.report("session not found or expired", "\n<script>fake log line");

    expect(monitor.stats()).toEqual({ total: 5_001, byKind: { unknown: 5_001 } });
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe("session cookie q6msx8… rejected (unknown); the request goes on with a new, empty session");
    expect(lines.join("\n")).not.toContain(key.slice(0, 7));

    now += 60_000;
    monitor.report("session not found or expired", "\n<script>fake log line");
    expect(lines[3]).toMatch(/^session cookie \?\?scri… rejected \(unknown\).*\(4998 similar lines not logged before this one\)$/);
  });

  it("never show more than six characters of a key", () => {
    expect(keyPrefix("abcdefghijklmnop")).toBe("abcdef…");
    expect(keyPrefix("ab")).toBe("ab…");
  });
});

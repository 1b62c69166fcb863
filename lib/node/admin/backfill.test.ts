import { describe, expect, it } from "vitest";
import { createSessionCodec } from "../../session/index.ts";
import { metaFor } from "./backfill.ts";

const codec = createSessionCodec({ secretKey: "backfill-unit-test-secret-key-0123456789-abcdefghijklmnop" });
const expiry = new Date("2026-12-15T10:00:00.250Z");
const row = (data: Record<string, unknown>, encoded?: string) => ({
  session_key: "k".repeat(32),
  session_data: encoded ?? codec.encode(new Map(Object.entries(data)), new Date()),
  expire_date: "2026-12-15 10:00:00.250000",
});

describe("the meta row of a Django session", () => {
  it("takes the user from _auth_user_id and estimates creation as expiry minus the cookie age", () => {
    const meta = metaFor(row({ _auth_user_id: "42" }), codec, 3600);
    expect(meta).toMatchObject({ userId: 42, undecodable: false });
    expect(meta.createdAt.getTime()).toBe(expiry.getTime() - 3_600_000);
    expect(meta.publicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("shows no user for an anonymous session or a primary key that is not an integer (a UUID user model)", () => {
    expect(metaFor(row({ cart: [1] }), codec, 60).userId).toBeNull();
    expect(metaFor(row({ _auth_user_id: "8f14e45f-ceea-467f-a8f2-0e5b0d0f7c33" }), codec, 60).userId).toBeNull();
    expect(metaFor(row({ _auth_user_id: "99999999999" }), codec, 60).userId).toBeNull();
  });

  it("marks a value no configured key opens as undecodable, still with its estimated creation", () => {
    const other = createSessionCodec({ secretKey: "another-site-secret-key-0123456789-abcdefghijklmnopqrstuv" });
    const meta = metaFor(row({}, other.encode(new Map([["_auth_user_id", "1"]]), new Date())), codec, 60);
    expect(meta).toMatchObject({ userId: null, undecodable: true });
    expect(meta.createdAt.getTime()).toBe(expiry.getTime() - 60_000);
  });
});

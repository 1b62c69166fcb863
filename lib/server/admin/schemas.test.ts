import { describe, expect, it } from "vitest";
import { HttpError } from "../http.ts";
import { parseAdminInput, parseAdminQuery, queryObject, revokeSchema, sessionQuerySchema } from "./schemas.ts";

function refusal(run: () => unknown): { status: number; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("admin query strings", () => {
  it("take the defaults, drop empty parameters, and refuse repeated ones", () => {
    expect(parseAdminInput(sessionQuerySchema, queryObject(new URLSearchParams("user=&q=&limit=")))).toEqual({ status: "active", sort: "-created", limit: 50 });
    expect(refusal(() => queryObject(new URLSearchParams("user=a&user=b")))).toEqual({ status: 400, message: "user: given more than once" });
    // A page's searchParams read the same way.
    expect(parseAdminQuery(sessionQuerySchema, { user: "alice", q: "", sort: undefined })).toEqual({ status: "active", user: "alice", sort: "-created", limit: 50 });
    expect(refusal(() => parseAdminQuery(sessionQuerySchema, { user: ["a", "b"] }))).toEqual({ status: 400, message: "user: given more than once" });
  });

  it("name the parameter that is wrong", () => {
    expect(refusal(() => parseAdminInput(sessionQuerySchema, { limit: "lots" }))).toEqual({ status: 400, message: "limit: must be a number" });
    expect(refusal(() => parseAdminInput(sessionQuerySchema, { limit: "1000" }))).toEqual({ status: 400, message: "limit: must be at most 200" });
    expect(refusal(() => parseAdminInput(sessionQuerySchema, { bogus: "1" }))).toEqual({ status: 400, message: "bogus: is not expected here" });
    expect(refusal(() => parseAdminInput(sessionQuerySchema, { createdFrom: "yesterday" }))).toEqual({ status: 400, message: "createdFrom: must be an ISO 8601 date or time" });
    expect(refusal(() => parseAdminInput(sessionQuerySchema, { ip: "10.0.0.1; DROP" }))).toMatchObject({ status: 400 });
    expect(parseAdminInput(sessionQuerySchema, { createdFrom: "2026-03-01", ip: "2001:db8:" })).toMatchObject({ createdFrom: new Date("2026-03-01T00:00:00Z"), ip: "2001:db8:" });
  });
});

describe("revoke bodies", () => {
  it("take exactly one of ids, userId and issuedBefore", () => {
    expect(parseAdminInput(revokeSchema, { ids: ["AaIqC3AdxIcEsodUCc0tog"] })).toEqual({ ids: ["AaIqC3AdxIcEsodUCc0tog"] });
    expect(parseAdminInput(revokeSchema, { userId: 7 })).toEqual({ userId: 7 });
    expect(parseAdminInput(revokeSchema, { issuedBefore: "2026-03-01T12:00:00Z" })).toEqual({ issuedBefore: new Date("2026-03-01T12:00:00Z") });
    for (const body of [{}, { ids: ["a"], userId: 1 }, null, [], "ids"]) {
      expect(refusal(() => parseAdminInput(revokeSchema, body))).toEqual({ status: 400, message: "input: send exactly one of {ids}, {userId} or {issuedBefore}" });
    }
  });

  it("say what is wrong with the one given", () => {
    expect(refusal(() => parseAdminInput(revokeSchema, { ids: [] }))).toEqual({ status: 400, message: "ids: must name at least one session" });
    expect(refusal(() => parseAdminInput(revokeSchema, { ids: Array(501).fill("a") }))).toEqual({ status: 400, message: "ids: can name at most 500 sessions" });
    expect(refusal(() => parseAdminInput(revokeSchema, { ids: ["../etc"] }))).toEqual({ status: 400, message: "ids.0: is not a session id" });
    expect(refusal(() => parseAdminInput(revokeSchema, { userId: "7" }))).toEqual({ status: 400, message: "userId: must be a user id" });
    expect(refusal(() => parseAdminInput(revokeSchema, { userId: 7, extra: 1 }))).toEqual({ status: 400, message: "extra: is not expected here" });
  });
});

import { describe, expect, it } from "vitest";
import {
  changeSessionQuery, effectiveSessionQuery, formatSessionSort, hasSessionFilters, parseSessionSort, readSessionQuery, sessionQueryString,
} from "./admin-sessions-query.ts";

describe("the sessions list's URL", () => {
  it("keeps the known, non-empty parameters and drops the rest", () => {
    const params = new URLSearchParams("user=alice&ip=&status=bogus&sort=-expiry&utm_source=mail&q=%20ab%20");
    expect(readSessionQuery(params)).toEqual({ user: "alice", sort: "-expiry", q: "ab" });
  });

  it("reads Next's searchParams records, first value of a repeated key", () => {
    expect(readSessionQuery({ user: ["bob", "carol"], status: "expired", cursor: undefined })).toEqual({ user: "bob", status: "expired" });
  });

  it("asks the server with explicit status and order, so the page does not rely on the API's defaults", () => {
    expect(effectiveSessionQuery({})).toEqual({ status: "active", sort: "-created" });
    expect(effectiveSessionQuery({ status: "all", user: "7" })).toEqual({ status: "all", sort: "-created", user: "7" });
    // Expired sessions: the most recently expired first, unless another order is asked for.
    expect(effectiveSessionQuery({ status: "expired" })).toEqual({ status: "expired", sort: "-expiry" });
    expect(effectiveSessionQuery({ status: "expired", sort: "-created" })).toEqual({ status: "expired", sort: "-created" });
  });

  it("a new filter or order starts again at the first page", () => {
    const onPage3 = { user: "alice", cursor: "abc" };
    expect(changeSessionQuery(onPage3, { ip: "10.0." })).toEqual({ user: "alice", ip: "10.0." });
    expect(changeSessionQuery(onPage3, { sort: "expiry" })).toEqual({ user: "alice", sort: "expiry" });
    expect(changeSessionQuery(onPage3, { cursor: "def" })).toEqual({ user: "alice", cursor: "def" });
    expect(changeSessionQuery(onPage3, { user: null, cursor: null })).toEqual({});
  });

  it("writes equal views as equal URLs", () => {
    expect(sessionQueryString({ ip: "10.0.", user: "alice" })).toBe(sessionQueryString({ user: "alice", ip: "10.0." }));
    expect(sessionQueryString({ q: "a b" })).toBe("?q=a+b");
    expect(sessionQueryString({})).toBe("");
  });

  it("knows whether anything narrows the list", () => {
    expect(hasSessionFilters({})).toBe(false);
    expect(hasSessionFilters({ status: "active", sort: "expiry", cursor: "x" })).toBe(false);
    expect(hasSessionFilters({ status: "all" })).toBe(true);
    expect(hasSessionFilters({ device: "mobile" })).toBe(true);
  });

  it("reads and writes the order as a field and a direction", () => {
    expect(parseSessionSort(undefined)).toEqual({ field: "created", desc: true });
    expect(parseSessionSort("expiry")).toEqual({ field: "expiry", desc: false });
    expect(parseSessionSort("-activity")).toEqual({ field: "activity", desc: true });
    expect(formatSessionSort("activity", false)).toBe("activity");
    expect(formatSessionSort("expiry", true)).toBe("-expiry");
  });
});

import { describe, expect, it } from "vitest";
import { isServiceUnavailable } from "./unavailable.ts";

describe("isServiceUnavailable", () => {
  it("recognises a database or Redis that went away", () => {
    expect(isServiceUnavailable(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }))).toBe(true);
    expect(isServiceUnavailable(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))).toBe(true);
    expect(isServiceUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isServiceUnavailable(Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }))).toBe(true);
    expect(isServiceUnavailable(new AggregateError([Object.assign(new Error("x"), { code: "ECONNREFUSED" })]))).toBe(true);
    expect(isServiceUnavailable(new Error("save failed", { cause: new Error("Command timed out") }))).toBe(true);
  });

  it("leaves bugs alone: they stay 500s", () => {
    expect(isServiceUnavailable(new TypeError("Cannot read properties of undefined"))).toBe(false);
    expect(isServiceUnavailable(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe(false);
    expect(isServiceUnavailable("ECONNREFUSED")).toBe(false);
    expect(isServiceUnavailable(null)).toBe(false);
  });
});

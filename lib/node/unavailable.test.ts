import { describe, expect, it } from "vitest";
import { describeUnavailable, isServiceUnavailable } from "./unavailable.ts";

describe("isServiceUnavailable", () => {
  it("recognises a database or Redis that went away", () => {
    expect(isServiceUnavailable(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }))).toBe(true);
    expect(isServiceUnavailable(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))).toBe(true);
    expect(isServiceUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isServiceUnavailable(Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }))).toBe(true);
    expect(isServiceUnavailable(new AggregateError([Object.assign(new Error("x"), { code: "ECONNREFUSED" })]))).toBe(true);
    expect(isServiceUnavailable(new Error("save failed", { cause: new Error("Command timed out") }))).toBe(true);
  });

  it("recognises a database that answers too slowly: the client's query timeout, the server's statement_timeout, the pool's wait", () => {
    expect(isServiceUnavailable(new Error("Query read timeout"))).toBe(true);
    expect(isServiceUnavailable(Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" }))).toBe(true);
    expect(isServiceUnavailable(new Error("timeout exceeded when trying to connect"))).toBe(true);
  });

  it("recognises Prisma's errors for the same failures (shapes as Prisma 7 with the pg adapter throws them)", () => {
    const prisma = (code: string, message: string, meta: unknown) => Object.assign(new Error(message), { name: "PrismaClientKnownRequestError", code, meta });
    expect(isServiceUnavailable(prisma("P1001", "Can't reach database server at 127.0.0.1:5432", { driverAdapterError: { cause: { kind: "DatabaseNotReachable" } } }))).toBe(true);
    // A raw query cut by a shutdown: P2010 is any raw query's failure; the driver's code decides.
    const terminated = { driverAdapterError: { name: "DriverAdapterError", cause: { kind: "postgres", code: "57P01", message: "terminating connection due to administrator command" } } };
    expect(isServiceUnavailable(prisma("P2010", "Raw query failed. Code: `57P01`.", terminated))).toBe(true);
    expect(isServiceUnavailable(prisma("P2024", "Timed out fetching a new connection from the connection pool.", undefined))).toBe(true);
    expect(isServiceUnavailable({ kind: "ConnectionClosed" })).toBe(true);
    const syntax = { driverAdapterError: { cause: { kind: "postgres", code: "42601", message: "syntax error" } } };
    expect(isServiceUnavailable(prisma("P2010", "Raw query failed. Code: `42601`.", syntax))).toBe(false);
    expect(isServiceUnavailable(prisma("P2002", "Unique constraint failed", { driverAdapterError: { cause: { kind: "UniqueConstraintViolation" } } }))).toBe(false);
  });

  it("leaves bugs alone: they stay 500s", () => {
    expect(isServiceUnavailable(new TypeError("Cannot read properties of undefined"))).toBe(false);
    expect(isServiceUnavailable(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe(false);
    expect(isServiceUnavailable("ECONNREFUSED")).toBe(false);
    expect(isServiceUnavailable(null)).toBe(false);
  });
});

describe("describeUnavailable", () => {
  it("puts the failure on one log line: code and the message's last line", () => {
    const prisma = Object.assign(new Error("\nInvalid `prisma.product.findUnique()` invocation:\n\nCan't reach database server at 127.0.0.1:5432"), { code: "P1001" });
    expect(describeUnavailable(prisma)).toBe("P1001 Can't reach database server at 127.0.0.1:5432");
    expect(describeUnavailable(new Error("Query read timeout"))).toBe("Query read timeout");
    expect(describeUnavailable(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }))).toBe("connect ECONNREFUSED 127.0.0.1:5432");
  });
});

import "server-only";
/**
 * The route of the request-cost benchmark (bench/request-cost.ts), served
 * twice: without a session and with one (load, modify, save), so that the
 * difference is what a session costs a request; and a full garbage
 * collection, so that its steady-memory run can read what the process keeps
 * apart from what the collector has not yet freed. Off unless
 * SESSIONSCOPE_BENCH_ROUTES=1, and never in production.
 */
import { NextResponse } from "next/server";
import type { Session } from "@/lib/session";
import { getEnv } from "../node/env.ts";
import { API_ERRORS, HttpError } from "./http.ts";

export function assertBenchRoutesEnabled(): void {
  const env = getEnv();
  if (!env.SESSIONSCOPE_BENCH_ROUTES || env.production) throw new HttpError(404, API_ERRORS.NOT_FOUND, "Not found.");
}

/** The handler both variants share: count a visit and answer with the count. */
export async function countVisit(session: Session | null): Promise<Response> {
  let visits = 1;
  if (session) {
    await session.load();
    visits = session.modify<number>("visits", (n) => (typeof n === "number" ? n : 0) + 1);
  }
  return NextResponse.json({ visits });
}

/**
 * A full garbage collection, then the process's memory: what it keeps, the garbage of the requests
 * before it gone. Needs a server started with `node --expose-gc`.
 */
export function collectGarbage(): Response {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== "function") throw new HttpError(501, API_ERRORS.NOT_IMPLEMENTED, "This server was started without node --expose-gc, so it cannot collect garbage on request.");
  gc();
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  return NextResponse.json({ rss, heapUsed, heapTotal, external });
}

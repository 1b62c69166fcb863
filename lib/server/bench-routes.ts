import "server-only";
/**
 * The route of the request-cost benchmark (bench/request-cost.ts), served
 * twice: without a session and with one (load, modify, save), so that the
 * difference is what a session costs a request; and a full garbage
 * collection, so that its steady-memory run can read what the process keeps
 * apart from what the collector has not yet freed. Off unless
 * SESSIONSCOPE_BENCH_ROUTES=1, and never in production.
 */
import { NextResponse, type NextRequest } from "next/server";
import { buildSessionCookie, type Session } from "@/lib/session";
import { getEnv } from "../node/env.ts";
import { API_ERRORS, HttpError, httpErrorResponse } from "./http.ts";

export function assertBenchRoutesEnabled(): void {
  const env = getEnv();
  if (!env.SESSIONSCOPE_BENCH_ROUTES || env.production) throw new HttpError(404, API_ERRORS.NOT_FOUND, "Not found.");
}

/** Runs a bench route's handler when the bench routes are on; a 404 when they are off. */
export async function benchRoute(handler: () => Response | Promise<Response>): Promise<Response> {
  try {
    assertBenchRoutesEnabled();
    return await handler();
  } catch (error) {
    if (error instanceof HttpError) return httpErrorResponse(error);
    throw error;
  }
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
 * The plain handler with what a cookie session adds that is not the session's: the request's
 * cookie read, and a Set-Cookie (built as the binding builds it, from the same settings) and
 * `Vary: Cookie` on the response. The floor under the session route in this framework: no store,
 * no codec.
 */
export async function echoCookie(request: NextRequest): Promise<Response> {
  const config = getEnv().session;
  const value = request.cookies.get(config.cookieName)?.value ?? "";
  const response = await countVisit(null);
  response.headers.append("Vary", "Cookie");
  if (/^[a-z0-9]+$/.test(value)) response.headers.append("Set-Cookie", buildSessionCookie(config, value, config.cookieAge, new Date()));
  return response;
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

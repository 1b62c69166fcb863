import "server-only";
/**
 * The route of the request-cost benchmark (bench/request-cost.ts), served
 * twice: without a session and with one (load, modify, save), so that the
 * difference is what a session costs a request. Off unless
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

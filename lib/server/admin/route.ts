import "server-only";
/**
 * The admin API's route handlers share one shape: the request's session
 * (withSession), the caller's role checked first (so a signed-out request is
 * a 401 whatever else is wrong with it), input validated, and every answer,
 * errors included, marked `Cache-Control: no-store`: nothing the dashboard
 * reads may sit in a cache.
 */
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { readJsonBody } from "../request-body.ts";
import { type SessionContext, withSession } from "../session/next.ts";
import { parseAdminInput, parseAdminQuery } from "./schemas.ts";

const NO_STORE = { "Cache-Control": "no-store" } as const;

export function adminJson(body: unknown, init: { status?: number } = {}): NextResponse {
  return NextResponse.json(body, { status: init.status ?? 200, headers: NO_STORE });
}

export function adminRoute<P = unknown>(
  handler: (request: NextRequest, context: SessionContext & { params: P }) => Promise<Response>,
): (request: NextRequest, route: { params: P }) => Promise<Response> {
  const wrapped = withSession(handler);
  return async (request, route) => {
    let response = await wrapped(request, route);
    try {
      response.headers.set("Cache-Control", "no-store");
    } catch {
      response = new Response(response.body, response);
      response.headers.set("Cache-Control", "no-store");
    }
    return response;
  };
}

/** The request's query string validated by `schema` (400 on bad input). */
export function readQuery<S extends z.ZodType>(request: NextRequest, schema: S): z.output<S> {
  return parseAdminQuery(schema, request.nextUrl.searchParams);
}

/** The request's JSON body validated by `schema`: 415/413/400 for a body that is not JSON, 400 when it does not match. */
export async function readBody<S extends z.ZodType>(request: NextRequest, schema: S): Promise<z.output<S>> {
  return parseAdminInput(schema, await readJsonBody(request, z.unknown()));
}

import "server-only";
/**
 * The server-action side of the binding. An action answers with
 * `{ ok: true, data }` or `{ ok: false, error: { code, message } }` (the JSON
 * API's error shape), never a status: the cookie goes out through Next's
 * `cookies()`, described here as its options.
 */
import type { CookieInstruction } from "@/lib/session";
import type { SessionRuntime } from "../../node/session/runtime.ts";
import type { ApiErrorCode, HttpError } from "../http.ts";
import { runWithSession, type SessionContext, type SessionRequest } from "./lifecycle.ts";

export type ActionResult<T> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly error: { readonly code: ApiErrorCode; readonly message: string; readonly details?: unknown } };

function actionFailure(error: HttpError): ActionResult<never> {
  return { ok: false, error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } };
}

/**
 * Runs an action with the request's session. A thrown HttpError becomes
 * `{ ok: false }` (and a 4xx still saves, as in a route handler); any other
 * error propagates and nothing is saved.
 */
export async function runActionWithSession<T>(
  runtime: SessionRuntime,
  request: SessionRequest,
  action: (context: SessionContext) => Promise<T>,
): Promise<{ result: ActionResult<T>; cookie: CookieInstruction | null }> {
  const run = await runWithSession(runtime, request, async (context) => ({ status: 200, result: { ok: true, data: await action(context) } as ActionResult<T> }), {
    fromHttpError: (error) => ({ status: error.status, result: actionFailure(error) }),
    statusOf: (outcome) => outcome.status,
  });
  return run.ok ? { result: run.result.result, cookie: run.commit.cookie } : { result: actionFailure(run.failure), cookie: null };
}

/** The options for `cookies().set()` that give the same cookie as the instruction's Set-Cookie header. */
export function toCookieOptions(cookie: CookieInstruction) {
  return {
    name: cookie.name,
    value: cookie.value,
    path: cookie.path,
    ...(cookie.domain ? { domain: cookie.domain } : {}),
    ...(cookie.maxAge === null ? {} : { maxAge: cookie.maxAge }),
    ...(cookie.expires ? { expires: cookie.expires } : {}),
    httpOnly: cookie.httpOnly,
    secure: cookie.secure,
    ...(cookie.sameSite === false ? {} : { sameSite: cookie.sameSite.toLowerCase() as "lax" | "strict" | "none" }),
  };
}

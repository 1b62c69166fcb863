import "server-only";
import { NextResponse } from "next/server";

/** Error codes of the JSON API, in one place. */
export const API_ERRORS = {
  BAD_REQUEST: "bad_request",
  INVALID_JSON: "invalid_json",
  VALIDATION: "validation_failed",
  BODY_TOO_LARGE: "body_too_large",
  UNSUPPORTED_MEDIA_TYPE: "unsupported_media_type",
  UNAUTHENTICATED: "unauthenticated",
  FORBIDDEN: "forbidden",
  CROSS_ORIGIN: "cross_origin_request",
  NOT_FOUND: "not_found",
  SHOP_NOT_INSTALLED: "shop_not_installed",
  CONFLICT: "conflict",
  INVALID_CREDENTIALS: "invalid_credentials",
  RATE_LIMITED: "rate_limited",
  SESSION_INTERRUPTED: "session_interrupted",
  SESSION_TOO_LARGE: "session_too_large",
  SERVICE_UNAVAILABLE: "service_unavailable",
  NOT_IMPLEMENTED: "not_implemented",
  INTERNAL: "internal_error",
} as const;

export type ApiErrorCode = (typeof API_ERRORS)[keyof typeof API_ERRORS];

/** Thrown by handlers and data functions; the binding turns it into `{ error: { code, message } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function errorResponse(status: number, code: ApiErrorCode, message: string, headers: Record<string, string> = {}, details?: unknown) {
  return NextResponse.json({ error: { code, message, ...(details === undefined ? {} : { details }) } }, { status, headers });
}

export function httpErrorResponse(error: HttpError) {
  return errorResponse(error.status, error.code, error.message, error.headers, error.details);
}

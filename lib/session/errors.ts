/** Every error SessionScope raises carries one of these codes. */
export const SESSION_ERROR_CODES = {
  BAD_SIGNATURE: "BAD_SIGNATURE",
  SIGNATURE_EXPIRED: "SIGNATURE_EXPIRED",
  MALFORMED_PAYLOAD: "MALFORMED_PAYLOAD",
  KEY_NOT_FOUND: "KEY_NOT_FOUND",
  NOT_LOADED: "NOT_LOADED",
  SESSION_INTERRUPTED: "SESSION_INTERRUPTED",
  SAVE_CONFLICT: "SAVE_CONFLICT",
  CREATE_FAILED: "CREATE_FAILED",
  INVALID_CONFIG: "INVALID_CONFIG",
  COOKIE_TOO_LARGE: "COOKIE_TOO_LARGE",
} as const;

export type SessionErrorCode = (typeof SESSION_ERROR_CODES)[keyof typeof SESSION_ERROR_CODES];

export class SessionScopeError extends Error {
  constructor(
    readonly code: SessionErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The signature does not match any accepted key (Django's `BadSignature`). */
export class BadSignature extends SessionScopeError {
  constructor(reason: string, code: SessionErrorCode = SESSION_ERROR_CODES.BAD_SIGNATURE) {
    super(code, reason);
  }
}

/** A valid signature older than the allowed max age (a `BadSignature`, as in Django). */
export class SignatureExpired extends BadSignature {
  constructor(reason: string) {
    super(reason, SESSION_ERROR_CODES.SIGNATURE_EXPIRED);
  }
}

/** The signature is valid but the payload is not base64, zlib or JSON as expected. */
export class MalformedPayload extends SessionScopeError {
  constructor(reason: string) {
    super(SESSION_ERROR_CODES.MALFORMED_PAYLOAD, reason);
  }
}

/** `session.delete(key)` / `pop(key)` without default on a missing key (Python's `KeyError`). */
export class SessionKeyError extends SessionScopeError {
  constructor(readonly key: string) {
    super(SESSION_ERROR_CODES.KEY_NOT_FOUND, `SessionScope: no session key ${JSON.stringify(key)}`);
  }
}

/** The session was deleted by another request while this one used it (Django answers HTTP 400). */
export class SessionInterrupted extends SessionScopeError {
  constructor(message = "SessionScope: the session was deleted before the request finished") {
    super(SESSION_ERROR_CODES.SESSION_INTERRUPTED, message);
  }
}

export class SessionConfigError extends SessionScopeError {
  constructor(message: string) {
    super(SESSION_ERROR_CODES.INVALID_CONFIG, `SessionScope: ${message}`);
  }
}

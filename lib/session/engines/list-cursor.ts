/**
 * The listing cursor of the SQL and Redis engines: the position after the
 * last item of a page, base64url-encoded JSON, opaque to callers. Phase 0
 * walks sessions with a meta row by (created_at DESC, session_key ASC);
 * phase 1 (SQL only) walks sessions without one by session_key.
 */

export type ListCursor =
  | { readonly phase: 0; readonly created: string | number; readonly key: string }
  | { readonly phase: 1; readonly key: string };

export function encodeCursor(cursor: ListCursor): string {
  const raw = cursor.phase === 0 ? [0, cursor.created, cursor.key] : [1, cursor.key];
  return Buffer.from(JSON.stringify(raw)).toString("base64url");
}

/** The cursor's position; a TypeError for anything `encodeCursor` did not write. */
export function decodeCursor(text: string): ListCursor {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    raw = null;
  }
  if (Array.isArray(raw) && raw.length === 3 && raw[0] === 0 && (typeof raw[1] === "string" || typeof raw[1] === "number") && typeof raw[2] === "string") {
    return { phase: 0, created: raw[1], key: raw[2] };
  }
  if (Array.isArray(raw) && raw.length === 2 && raw[0] === 1 && typeof raw[1] === "string") return { phase: 1, key: raw[1] };
  throw new TypeError("SessionScope: invalid session list cursor");
}

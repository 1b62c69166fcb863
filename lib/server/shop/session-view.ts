import "server-only";
/**
 * The visitor's own session as the shop's "how this works" panels show it:
 * the decoded data, when and why it ends, and where the engine keeps it.
 * Read-only (nothing is saved, no activity recorded), and the session key
 * never leaves the server: the opaque public id stands in for it, and the
 * password-derived `_auth_user_hash` is masked.
 */
import { tmpdir } from "node:os";
import { maskSecret } from "@/lib/admin-format";
import { formatDateTime } from "@/lib/format";
import { can } from "@/lib/roles";
import {
  ACTIVITY_KEY, AUTH_BACKEND_KEY, AUTH_HASH_KEY, AUTH_USER_ID_KEY, CREATED_KEY, type DeadlineReason, EXPIRY_KEY, getSessionEnd, type Session,
  type SessionPolicy, supportsUserIndex,
} from "@/lib/session";
import { getEnv } from "../../node/env.ts";
import { getCurrentUser, type CurrentUser } from "../auth/auth.ts";
import { getDatabase } from "../db/client.ts";
import { readSession } from "../session/next.ts";
import { getSessionRuntime } from "../session/instance.ts";
import { CART_KEY } from "./cart.ts";
import { FLASH_KEY } from "./flash.ts";

export interface SessionEntryView {
  readonly key: string;
  /** The value as indented JSON (masked for `_auth_user_hash`). */
  readonly json: string;
  /** What the key is for, when the framework or the shop wrote it. */
  readonly note: string | null;
}

export interface StoredSessionView {
  /** The opaque id the dashboard and "your sessions" use; null where it cannot be looked up (`publicIdNote` says why). */
  readonly publicId: string | null;
  readonly publicIdNote: string | null;
  readonly entries: readonly SessionEntryView[];
  readonly endsAt: string;
  readonly endsBecause: DeadlineReason;
  /** The cookie dies with the browser (before `endsAt` if the browser closes first). */
  readonly endsAtBrowserClose: boolean;
}

export interface SessionNowView {
  /** The server's clock when this was read. */
  readonly now: string;
  readonly engine: string;
  /** Where this engine keeps a session, in words ("a row in django_session on SQLite"). */
  readonly storage: string;
  /** Null: this browser has no session (no cookie, or one that led nowhere). */
  readonly session: StoredSessionView | null;
  /** For a visitor with a dashboard role: the same session in /admin. */
  readonly dashboardHref: string | null;
}

/** The request's session (read-only), as the panels show it. */
export async function readSessionView(): Promise<SessionNowView> {
  const { session } = await readSession();
  return describeSession(session, new Date());
}

/** `policy` defaults to the live one (the policy the session was opened with). */
export async function describeSession(session: Session, now: Date, policy?: SessionPolicy): Promise<SessionNowView> {
  const runtime = getSessionRuntime();
  const base = { now: now.toISOString(), engine: runtime.engine, storage: describeStorage(runtime.engine) };
  const key = session.key;
  if (key === null) return { ...base, session: null, dashboardHref: null };
  const user = await getCurrentUser(session, { readOnly: true });
  const [livePolicy, stored, publicId] = await Promise.all([policy ?? runtime.policy.get(), runtime.store.load(key, now), findPublicId(key, user, now)]);
  const data = new Map(session.entries());
  const end = getSessionEnd({ data, policy: livePolicy, now, storedExpiry: stored?.expireDate ?? null });
  return {
    ...base,
    session: {
      publicId,
      publicIdNote: publicId ? null : missingPublicId(runtime.engine),
      entries: [...data].map(([name, value]) => describeEntry(name, value, user)),
      endsAt: end.at.toISOString(),
      endsBecause: end.reason,
      endsAtBrowserClose: end.atBrowserClose,
    },
    dashboardHref: publicId && can(user?.role, "sessions:view") ? `/admin/sessions/${encodeURIComponent(publicId)}` : null,
  };
}

function describeStorage(engine: string): string {
  const database = getDatabase().provider === "sqlite" ? "SQLite" : "PostgreSQL";
  switch (engine) {
    case "db":
      return `a row in django_session on ${database}`;
    case "cached_db":
      return `a Redis entry (:1:django.contrib.sessions.cached_db…) in front of a row in django_session on ${database}`;
    case "cache":
      return "a Redis entry (:1:django.contrib.sessions.cache…) holding a pickled dict, with a TTL; nothing in the database";
    case "file":
      return `a file in ${getEnv().SESSION_FILE_PATH ?? tmpdir()}, named after the cookie and the key`;
    case "signed_cookies":
      return "the cookie itself: signed, not encrypted, and nothing on the server";
    default:
      return `the ${engine} engine`;
  }
}

/** The public id from the metadata the engine keeps beside the session (SQL engines: every session; Redis: a user's). */
async function findPublicId(key: string, user: CurrentUser | null, now: Date): Promise<string | null> {
  const { engine, store } = getSessionRuntime();
  if (engine === "db" || engine === "cached_db") {
    const meta = await getDatabase().prisma.sessionMeta.findUnique({ where: { sessionKey: key }, select: { publicId: true } });
    return meta?.publicId ?? null;
  }
  if (user && supportsUserIndex(store)) {
    return (await store.listByUser(String(user.id), now)).find((item) => item.key === key)?.publicId ?? null;
  }
  return null;
}

function missingPublicId(engine: string): string {
  if (engine === "cache") return "the cache engine finds sessions by user, and this one has none";
  if (engine === "file" || engine === "signed_cookies") return `the ${engine} engine keeps no index of sessions`;
  return "this session has no metadata row (a Django site wrote it)";
}

function describeEntry(key: string, value: unknown, user: CurrentUser | null): SessionEntryView {
  if (key === AUTH_HASH_KEY) {
    return { key, json: JSON.stringify(maskSecret(String(value))), note: "An HMAC of your password hash (masked here): change the password and every other session fails this check." };
  }
  return { key, json: toJson(value), note: noteFor(key, value, user) };
}

function noteFor(key: string, value: unknown, user: CurrentUser | null): string | null {
  switch (key) {
    case AUTH_USER_ID_KEY:
      return user ? `Who is logged in: ${user.username}.` : "A user whose password hash no longer matches: this session is logged out on its next request.";
    case AUTH_BACKEND_KEY:
      return "The authentication backend that logged you in, recorded as Django does.";
    case CREATED_KEY:
      return `When the session began${atTime(value)}, in Unix seconds: the absolute lifetime counts from here.`;
    case ACTIVITY_KEY:
      return `Its last recorded use${atTime(value)}: the idle timeout counts from here.`;
    case EXPIRY_KEY:
      return "Set by set_expiry(): replaces the cookie age for this session.";
    case CART_KEY:
      return "Your cart: product ids and quantities only; names and prices come from the database.";
    case FLASH_KEY:
      return "Messages waiting to be shown once, like django.contrib.messages.";
    default:
      return null;
  }
}

function atTime(value: unknown): string {
  const seconds = Number(value);
  return Number.isFinite(seconds) ? ` (${formatDateTime(new Date(seconds * 1000).toISOString())})` : "";
}

/** A decoded value as JSON: big integers keep every digit (as text), NaN and infinities are named. */
function toJson(value: unknown): string {
  const plain: unknown = JSON.parse(
    JSON.stringify(value, (_key, inner: unknown) => {
      if (typeof inner === "bigint") return inner.toString();
      if (typeof inner === "number" && !Number.isFinite(inner)) return String(inner);
      if (inner instanceof Map) return Object.fromEntries(inner);
      return inner;
    }) ?? "null",
  );
  return formatJson(plain, "");
}

const LINE = 64;

/** Indented JSON that keeps short arrays and objects on one line, so a cart reads at a glance. */
function formatJson(value: unknown, indent: string): string {
  const flat = JSON.stringify(value);
  if (flat.length + indent.length <= LINE || value === null || typeof value !== "object") return flat;
  const inner = `${indent}  `;
  const lines = Array.isArray(value)
    ? value.map((item) => inner + formatJson(item, inner))
    : Object.entries(value).map(([key, item]) => `${inner}${JSON.stringify(key)}: ${formatJson(item, inner)}`);
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  return `${open}\n${lines.join(",\n")}\n${indent}${close}`;
}

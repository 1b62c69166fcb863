import "server-only";
/**
 * From the dashboard's opaque public ids to session keys, on the server only.
 * What an engine can answer decides how: the SQL engines keep a meta table
 * (read through Prisma), the Redis cache engine an index it can list, and
 * the file and signed-cookie engines nothing at all.
 */
import { supportsListing, type ListableStore, type SessionListItem, type SessionStore } from "@/lib/session";
import { appAdminContext, type AdminContext } from "./context.ts";

export type SessionIndex =
  | { readonly kind: "sql" }
  | { readonly kind: "listing"; readonly store: SessionStore & ListableStore }
  | { readonly kind: "none" };

/** How the dashboard reads the configured engine's sessions. */
export function sessionIndex(context: AdminContext): SessionIndex {
  const { engine, store } = context.runtime;
  if (engine === "db" || engine === "cached_db") return { kind: "sql" };
  if (supportsListing(store)) return { kind: "listing", store };
  return { kind: "none" };
}

/** The configured engine and its cache's backend, for the pages that explain what they cannot list. */
export function getSessionSetup(context: AdminContext = appAdminContext()): { engine: string; cacheBackend: "redis" | "memcached" | null } {
  return { engine: context.runtime.engine, cacheBackend: context.cacheBackend ?? null };
}

const SCAN_PAGE = 500;

/**
 * The listed sessions (all statuses) whose public ids are in `ids`, found by
 * walking the engine's index: the cache engine keeps no reverse index from
 * public id to key. Stops as soon as every id is found.
 */
export async function scanForPublicIds(store: ListableStore, ids: ReadonlySet<string>, now: Date): Promise<Map<string, SessionListItem>> {
  const found = new Map<string, SessionListItem>();
  // One id: the engine's own prefix filter narrows the walk to that id.
  const filter = ids.size === 1 ? { status: "all" as const, query: [...ids][0]! } : { status: "all" as const };
  let cursor: string | null = null;
  do {
    const page = await store.list(filter, { cursor, limit: SCAN_PAGE }, now);
    for (const item of page.items) if (item.publicId && ids.has(item.publicId)) found.set(item.publicId, item);
    cursor = found.size < ids.size ? page.nextCursor : null;
  } while (cursor !== null);
  return found;
}

/** Session keys of the given public ids (those that exist), by public id. */
export async function findSessionKeys(context: AdminContext, publicIds: readonly string[]): Promise<Map<string, string>> {
  const ids = new Set(publicIds);
  const index = sessionIndex(context);
  if (ids.size === 0 || index.kind === "none") return new Map();
  if (index.kind === "listing") {
    const found = await scanForPublicIds(index.store, ids, context.now());
    return new Map([...found].map(([id, item]) => [id, item.key]));
  }
  const rows = await context.prisma.sessionMeta.findMany({ where: { publicId: { in: [...ids] } }, select: { publicId: true, sessionKey: true } });
  return new Map(rows.map((row) => [row.publicId, row.sessionKey]));
}

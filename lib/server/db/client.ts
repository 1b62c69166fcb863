import "server-only";
import { getEnv } from "../../node/env.ts";
import { openDatabaseFromEnv, type Database } from "../../node/db/connection.ts";

// One database per server process; Next's dev server reloads modules, so the
// handle lives on globalThis to survive hot reloads.
const holder = globalThis as typeof globalThis & { __sessionscopeDb?: Database };

export function getDatabase(): Database {
  holder.__sessionscopeDb ??= openDatabaseFromEnv(getEnv());
  return holder.__sessionscopeDb;
}

export const getPrisma = () => getDatabase().prisma;

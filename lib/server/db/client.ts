import "server-only";
import { getEnv } from "../../node/env.ts";
import { openDatabase, type Database } from "../../node/db/connection.ts";

// One database per server process; Next's dev server reloads modules, so the
// handle lives on globalThis to survive hot reloads.
const holder = globalThis as typeof globalThis & { __sessionscopeDb?: Database };

export function getDatabase(): Database {
  holder.__sessionscopeDb ??= openDatabase(getEnv().DATABASE_URL);
  return holder.__sessionscopeDb;
}

export const getPrisma = () => getDatabase().prisma;

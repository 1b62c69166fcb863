// Derives prisma/sqlite/schema.prisma from prisma/schema.prisma (PostgreSQL),
// the one source of truth for SessionScope's data model.
//   node scripts/derive-schema.mjs          write the derived schema
//   node scripts/derive-schema.mjs --check  exit 1 if it is out of date
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const sourcePath = join(root, "prisma", "schema.prisma");
const targetPath = join(root, "prisma", "sqlite", "schema.prisma");

export function deriveSqliteSchema(source) {
  return [
    "// GENERATED from prisma/schema.prisma by scripts/derive-schema.mjs: do not edit.",
    source
      .replace('provider = "postgresql"', 'provider = "sqlite"')
      .replace("../lib/node/db/generated/postgresql", "../../lib/node/db/generated/sqlite")
      // SQLite has no native column types: every @db.X(...) attribute goes.
      .replace(/ @db\.\w+(\([^)]*\))?/g, ""),
  ].join("\n");
}

const derived = deriveSqliteSchema(readFileSync(sourcePath, "utf8"));
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(targetPath, "utf8");
  } catch {}
  if (current !== derived) {
    console.error("SessionScope: prisma/sqlite/schema.prisma is out of date; run `node scripts/derive-schema.mjs`.");
    process.exit(1);
  }
} else {
  mkdirSync(dirname(targetPath), { recursive: true });
  writeFileSync(targetPath, derived);
}

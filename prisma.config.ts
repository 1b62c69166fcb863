// Prisma CLI configuration. The schema and migrations follow DATABASE_URL:
// postgresql:// URLs use prisma/schema.prisma, anything else the derived
// SQLite schema. SessionScope applies migrations itself at start-up
// (scripts/migrate.ts); `prisma migrate deploy` also works where Prisma's
// native engine is available.
import { defineConfig } from "prisma/config";

const url = process.env.DATABASE_URL ?? "file:./var/sessionscope.db";
const postgres = /^postgres(ql)?:\/\//.test(url);

export default defineConfig({
  schema: postgres ? "prisma/schema.prisma" : "prisma/sqlite/schema.prisma",
  migrations: { path: postgres ? "prisma/migrations/postgresql" : "prisma/migrations/sqlite" },
  datasource: { url },
});

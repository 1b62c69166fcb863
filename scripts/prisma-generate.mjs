// Generates both Prisma clients (SQLite and PostgreSQL) after `npm install`.
// Prisma's CLI insists on a native schema-engine binary even for `generate`,
// which does not need it; we point it at a stub that explains itself.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const prismaBin = join(root, "node_modules", ".bin", "prisma");
if (!existsSync(prismaBin)) process.exit(0); // installed as a dependency without dev tools

const env = {
  ...process.env,
  CHECKPOINT_DISABLE: "1",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? join(root, "scripts", "bin", "no-schema-engine"),
};

for (const schema of ["prisma/schema.prisma", "prisma/sqlite/schema.prisma"]) {
  const result = spawnSync(prismaBin, ["generate", "--schema", schema], { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });
  if (result.status !== 0) {
    console.error(`SessionScope: prisma generate failed for ${schema}`);
    process.exit(result.status ?? 1);
  }
}
console.log("SessionScope: generated Prisma clients for SQLite and PostgreSQL");

// `npm start` runs this before the server: migrate, then seed the demo data once.
import { getEnv } from "../lib/node/env.ts";
import { setupDatabase } from "../lib/node/db/setup.ts";

const env = getEnv();
const result = await setupDatabase(env.DATABASE_URL, { seed: !env.production, production: env.production });
const where = env.databaseProvider === "sqlite" ? env.DATABASE_URL : "PostgreSQL";
const applied = result.migrate.applied.length;
console.log(`SessionScope: database ${where} ready (${applied} migration${applied === 1 ? "" : "s"} applied, ${result.migrate.alreadyApplied} already there)`);
if (result.seed && (result.seed.products || result.seed.users)) {
  console.log(`SessionScope: seeded ${result.seed.products} products and ${result.seed.users} demo accounts`);
}

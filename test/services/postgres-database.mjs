// A throw-away database on the test run's PostgreSQL server, for the
// end-to-end servers (scripts/e2e-server.mjs, e2e/support/app-server.ts).
import pg from "pg";

export async function createPostgresDatabase(serverUrl, name) {
  const run = async (sql) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await run(`CREATE DATABASE "${name}"`);
  return {
    url: serverUrl.replace(/\/[^/]*$/, `/${name}`),
    drop: () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/**
 * Runs once when the server starts. Unless a proxy in front is trusted
 * (TRUST_PROXY=true), client-sent X-Forwarded-* headers are dropped before
 * Next sees them, so Next fills X-Forwarded-For with the real socket address
 * and X-Forwarded-Proto with the real scheme. Session metadata then records
 * an IP the client cannot forge.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // next start (not next dev, whose server Next restarts itself): SIGTERM drains requests in flight and exits 0.
  if (process.env.NODE_ENV === "production") {
    const [{ installGracefulShutdown }, { getEnv }] = await Promise.all([import("./lib/server/shutdown"), import("./lib/node/env")]);
    installGracefulShutdown({ timeoutMs: getEnv().SESSIONSCOPE_SHUTDOWN_TIMEOUT * 1000 });
  }
  const { stripUntrustedForwardedHeaders } = await import("./lib/node/forwarded-headers");
  stripUntrustedForwardedHeaders();
  // Attach mode: sessions Django writes get SessionScope's metadata within SESSIONSCOPE_BACKFILL_INTERVAL
  // seconds (at once when the dashboard lists sessions), and open dashboards are told (docs/django.md).
  if (process.env.SESSIONSCOPE_ATTACH) {
    const [{ startBackfillFromEnv }, { getEnv }, { publishAdminEvent }] = await Promise.all([
      import("./lib/node/admin/backfill"),
      import("./lib/node/env"),
      import("./lib/server/events"),
    ]);
    startBackfillFromEnv(getEnv(), { onWritten: (count) => publishAdminEvent({ type: "session.login", userId: null, count }) });
  }
  // The cache engine, attached or not: entries a Django site writes into the shared Redis are indexed (docs/django.md).
  const [{ startCacheIndexFromEnv }, { getEnv }] = await Promise.all([import("./lib/node/admin/cache-backfill"), import("./lib/node/env")]);
  startCacheIndexFromEnv(getEnv());
}

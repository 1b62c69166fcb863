-- Cache invalidations (kills and stale entries) that a cached_db engine could not apply while its
-- cache was down: replayed into the cache by every instance before it trusts a cached entry again.
CREATE TABLE "sessionscope_cache_outbox" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "session_key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL
);

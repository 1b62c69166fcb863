-- Cache invalidations (kills and stale entries) that a cached_db engine could not apply while its
-- cache was down: replayed into the cache by every instance before it trusts a cached entry again.
CREATE TABLE "sessionscope_cache_outbox" (
    "id" SERIAL NOT NULL,
    "session_key" VARCHAR(40) NOT NULL,
    "kind" VARCHAR(8) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "sessionscope_cache_outbox_pkey" PRIMARY KEY ("id")
);

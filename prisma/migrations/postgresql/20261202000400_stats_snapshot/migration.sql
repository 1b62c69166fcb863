-- The overview's breakdowns of the live sessions, computed at most once a minute above a size
-- (lib/server/admin/stats-snapshot.ts): one row, claimed by the instance that refreshes it.
CREATE TABLE "sessionscope_stats_snapshot" (
    "id" INTEGER NOT NULL,
    "taken_at" TIMESTAMPTZ(6),
    "refresh_started_at" TIMESTAMPTZ(6),
    "payload" TEXT,
    CONSTRAINT "sessionscope_stats_snapshot_pkey" PRIMARY KEY ("id")
);
INSERT INTO "sessionscope_stats_snapshot" ("id") VALUES (1);

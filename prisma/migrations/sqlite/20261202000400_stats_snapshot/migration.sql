-- The overview's breakdowns of the live sessions, computed at most once a minute above a size
-- (lib/server/admin/stats-snapshot.ts): one row, claimed by the instance that refreshes it.
CREATE TABLE "sessionscope_stats_snapshot" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "taken_at" DATETIME,
    "refresh_started_at" DATETIME,
    "payload" TEXT
);
INSERT INTO "sessionscope_stats_snapshot" ("id") VALUES (1);

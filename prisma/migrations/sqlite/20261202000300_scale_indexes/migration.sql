-- The dashboard at a million sessions: an index for every filter and sort of the sessions list,
-- and a session counter, so that no list or count has to read the whole table.

-- Keyset pages order by (sort value, public_id): newest first walks (created_at, public_id) backwards.
DROP INDEX "sessionscope_session_meta_created_at_session_key_idx";
CREATE INDEX "sessionscope_session_meta_created_at_public_id_idx" ON "sessionscope_session_meta"("created_at", "public_id");

-- One user's sessions, newest first, straight from the index (replaces the plain user_id index).
DROP INDEX "sessionscope_session_meta_user_id_idx";
CREATE INDEX "sessionscope_session_meta_user_id_created_at_public_id_idx" ON "sessionscope_session_meta"("user_id", "created_at", "public_id");

-- Device family (the filter resolves its words to whole families first) and engine, in list order.
CREATE INDEX "sessionscope_session_meta_device_created_at_public_id_idx" ON "sessionscope_session_meta"("device", "created_at", "public_id");
CREATE INDEX "sessionscope_session_meta_engine_created_at_public_id_idx" ON "sessionscope_session_meta"("engine", "created_at", "public_id");

-- Prefix searches are ranges (SQLite compares text byte by byte): an address or its prefix, and a
-- username's first characters, case-insensitive. Public ids use their unique index.
CREATE INDEX "sessionscope_session_meta_ip_idx" ON "sessionscope_session_meta"(lower("ip"));
CREATE INDEX "auth_user_username_lower_idx" ON "auth_user"(lower("username"));

-- How many rows django_session holds, kept by triggers (whoever writes: SessionScope or a Django site),
-- so that "active sessions" is this total minus the expired ones (an index range over a small set).
CREATE TABLE "sessionscope_session_count" (
    "slot" INTEGER NOT NULL PRIMARY KEY,
    "total" INTEGER NOT NULL
);
-- sessionscope: own database only (a trigger-kept count on django_session; an attached Django database keeps its table untouched)
INSERT INTO "sessionscope_session_count" ("slot", "total") SELECT 0, count(*) FROM "django_session";

-- sessionscope: own database only (a trigger-kept count on django_session; an attached Django database keeps its table untouched)
CREATE TRIGGER "sessionscope_session_count_insert" AFTER INSERT ON "django_session"
BEGIN
  UPDATE "sessionscope_session_count" SET "total" = "total" + 1 WHERE "slot" = 0;
END;
-- sessionscope: own database only (a trigger-kept count on django_session; an attached Django database keeps its table untouched)
CREATE TRIGGER "sessionscope_session_count_delete" AFTER DELETE ON "django_session"
BEGIN
  UPDATE "sessionscope_session_count" SET "total" = "total" - 1 WHERE "slot" = 0;
END;

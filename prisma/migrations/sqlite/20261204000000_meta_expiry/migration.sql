-- A copy of each session's expiry in its meta row (written by SessionScope's engines with the session
-- row, and by the backfill), so that the dashboard lists, counts and previews live or expired sessions
-- from the meta table's indexes alone, joining django_session only for a page's rows. Django's text,
-- as django_session keeps it. Attach mode does not trust the copy (Django changes expire_date without
-- it) and keeps joining django_session.
ALTER TABLE "sessionscope_session_meta" ADD COLUMN "expire_date" DATETIME;
-- sessionscope: own database only (fills the copy from django_session; attach mode never reads the copy, and the backfill writes it)
UPDATE "sessionscope_session_meta" SET "expire_date" = (SELECT s."expire_date" FROM "django_session" s WHERE s."session_key" = "sessionscope_session_meta"."session_key");

-- Every listing index ends in the expiry: a list of live sessions steps over expired entries, and a
-- capped count counts, inside the index.
DROP INDEX "sessionscope_session_meta_created_at_public_id_idx";
CREATE INDEX "sessionscope_session_meta_created_at_public_id_expire_date_idx" ON "sessionscope_session_meta"("created_at", "public_id", "expire_date");
DROP INDEX "sessionscope_session_meta_user_id_created_at_public_id_idx";
CREATE INDEX "sessionscope_session_meta_user_id_created_at_public_id_expire_date_idx" ON "sessionscope_session_meta"("user_id", "created_at", "public_id", "expire_date");
DROP INDEX "sessionscope_session_meta_device_created_at_public_id_idx";
CREATE INDEX "sessionscope_session_meta_device_created_at_public_id_expire_date_idx" ON "sessionscope_session_meta"("device", "created_at", "public_id", "expire_date");
DROP INDEX "sessionscope_session_meta_engine_created_at_public_id_idx";
CREATE INDEX "sessionscope_session_meta_engine_created_at_public_id_expire_date_idx" ON "sessionscope_session_meta"("engine", "created_at", "public_id", "expire_date");
DROP INDEX "sessionscope_session_meta_activity_idx";
CREATE INDEX "sessionscope_session_meta_activity_idx" ON "sessionscope_session_meta"((COALESCE("last_activity", "created_at")), "public_id", "expire_date");

-- By expiry: the expiry sorts, the expired list (most recently expired first), and the policy
-- preview, which reads the live range of this index and nothing else.
CREATE INDEX "sessionscope_session_meta_expiry_idx" ON "sessionscope_session_meta"("expire_date", "public_id", "created_at", "last_activity", "user_id");

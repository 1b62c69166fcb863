-- The live policy holds every session setting an admin may change, who saved it, and a version
-- for optimistic concurrency (two admins saving at once: the second is refused, not lost).
ALTER TABLE "sessionscope_policy" ADD COLUMN "save_every_request" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "sessionscope_policy" ADD COLUMN "cookie_secure" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "sessionscope_policy" ADD COLUMN "cookie_samesite" TEXT NOT NULL DEFAULT 'Lax';
ALTER TABLE "sessionscope_policy" ADD COLUMN "max_sessions_per_user" INTEGER;
ALTER TABLE "sessionscope_policy" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "sessionscope_policy" ADD COLUMN "updated_by_id" INTEGER;
ALTER TABLE "sessionscope_policy" ADD COLUMN "updated_by" TEXT;

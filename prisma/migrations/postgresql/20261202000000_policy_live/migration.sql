-- The live policy holds every session setting an admin may change, who saved it, and a version
-- for optimistic concurrency (two admins saving at once: the second is refused, not lost).
ALTER TABLE "sessionscope_policy" ADD COLUMN "save_every_request" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "cookie_secure" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "cookie_samesite" VARCHAR(8) NOT NULL DEFAULT 'Lax',
ADD COLUMN "max_sessions_per_user" INTEGER,
ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN "updated_by_id" INTEGER,
ADD COLUMN "updated_by" VARCHAR(150);

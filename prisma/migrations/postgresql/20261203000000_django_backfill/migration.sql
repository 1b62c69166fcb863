-- Metadata filled in for sessions Django wrote (lib/node/admin/backfill.ts): their creation time is
-- estimated from the expiry and the cookie age, and a value no configured key opens is marked.
ALTER TABLE "sessionscope_session_meta" ADD COLUMN "created_estimated" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "undecodable" BOOLEAN NOT NULL DEFAULT false;

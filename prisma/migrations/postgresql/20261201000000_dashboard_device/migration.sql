-- The device family the dashboard filters on ("desktop firefox linux"), written with the last activity.
ALTER TABLE "sessionscope_session_meta" ADD COLUMN "device" VARCHAR(64);

-- Listing by last activity (a session never seen counts from its creation): keyset pages walk this
-- index in either direction. An expression index, so prisma/schema.prisma cannot declare it.
CREATE INDEX "sessionscope_session_meta_activity_idx" ON "sessionscope_session_meta"((COALESCE("last_activity", "created_at")), "public_id");

-- Anomalies: when a session was first seen from a second IP address or device family.
ALTER TABLE "sessionscope_session_meta" ADD COLUMN "flagged_at" TIMESTAMPTZ(6);

-- CreateIndex
CREATE INDEX "sessionscope_session_meta_flagged_at_idx" ON "sessionscope_session_meta"("flagged_at");

-- Where a session was seen from, written only when its address or device family changes.
CREATE TABLE "sessionscope_session_sighting" (
    "id" SERIAL NOT NULL,
    "session_key" VARCHAR(40) NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL,
    "ip" VARCHAR(45),
    "device" VARCHAR(64),

    CONSTRAINT "sessionscope_session_sighting_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sessionscope_session_sighting_session_key_at_idx" ON "sessionscope_session_sighting"("session_key", "at");

-- AddForeignKey: a session's sightings go with its meta row (kills, logouts, clearsessions).
ALTER TABLE "sessionscope_session_sighting" ADD CONSTRAINT "sessionscope_session_sighting_session_key_fkey" FOREIGN KEY ("session_key") REFERENCES "sessionscope_session_meta"("session_key") ON DELETE CASCADE ON UPDATE CASCADE;

-- Logins, logouts and expiries as they happen, for the overview's last 24 hours.
CREATE TABLE "sessionscope_activity" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "user_id" INTEGER,
    "session_count" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "sessionscope_activity_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sessionscope_activity_kind_at_idx" ON "sessionscope_activity"("kind", "at");

-- CreateIndex
CREATE INDEX "sessionscope_activity_at_idx" ON "sessionscope_activity"("at");

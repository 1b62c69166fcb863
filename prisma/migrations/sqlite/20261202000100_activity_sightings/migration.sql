-- Anomalies: when a session was first seen from a second IP address or device family.
ALTER TABLE "sessionscope_session_meta" ADD COLUMN "flagged_at" DATETIME;

-- CreateIndex
CREATE INDEX "sessionscope_session_meta_flagged_at_idx" ON "sessionscope_session_meta"("flagged_at");

-- Where a session was seen from, written only when its address or device family changes.
-- A session's sightings go with its meta row (kills, logouts, clearsessions).
CREATE TABLE "sessionscope_session_sighting" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "session_key" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "ip" TEXT,
    "device" TEXT,
    CONSTRAINT "sessionscope_session_sighting_session_key_fkey" FOREIGN KEY ("session_key") REFERENCES "sessionscope_session_meta" ("session_key") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "sessionscope_session_sighting_session_key_at_idx" ON "sessionscope_session_sighting"("session_key", "at");

-- Logins, logouts and expiries as they happen, for the overview's last 24 hours.
CREATE TABLE "sessionscope_activity" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "kind" TEXT NOT NULL,
    "user_id" INTEGER,
    "session_count" INTEGER NOT NULL DEFAULT 1
);

-- CreateIndex
CREATE INDEX "sessionscope_activity_kind_at_idx" ON "sessionscope_activity"("kind", "at");

-- CreateIndex
CREATE INDEX "sessionscope_activity_at_idx" ON "sessionscope_activity"("at");

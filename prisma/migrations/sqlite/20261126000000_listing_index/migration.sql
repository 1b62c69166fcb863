-- DropIndex
DROP INDEX "sessionscope_session_meta_created_at_idx";

-- CreateIndex
CREATE INDEX "sessionscope_session_meta_created_at_session_key_idx" ON "sessionscope_session_meta"("created_at" DESC, "session_key");

-- The audit log records who acted, from where, and how many sessions it ended.
ALTER TABLE "sessionscope_audit" ADD COLUMN "actor_username" TEXT;
ALTER TABLE "sessionscope_audit" ADD COLUMN "session_count" INTEGER;
ALTER TABLE "sessionscope_audit" ADD COLUMN "ip" TEXT;
ALTER TABLE "sessionscope_audit" ADD COLUMN "user_agent" TEXT;

-- CreateIndex
CREATE INDEX "sessionscope_audit_actor_id_at_idx" ON "sessionscope_audit"("actor_id", "at");

-- CreateIndex
CREATE INDEX "sessionscope_audit_action_at_idx" ON "sessionscope_audit"("action", "at");

-- Append-only: entries can be added, never changed or removed.
CREATE TRIGGER "sessionscope_audit_no_update" BEFORE UPDATE ON "sessionscope_audit"
BEGIN
  SELECT RAISE(ABORT, 'sessionscope_audit is append-only');
END;

CREATE TRIGGER "sessionscope_audit_no_delete" BEFORE DELETE ON "sessionscope_audit"
BEGIN
  SELECT RAISE(ABORT, 'sessionscope_audit is append-only');
END;

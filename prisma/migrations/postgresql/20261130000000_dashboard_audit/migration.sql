-- The audit log records who acted, from where, and how many sessions it ended.
ALTER TABLE "sessionscope_audit" ADD COLUMN "actor_username" VARCHAR(150),
ADD COLUMN "session_count" INTEGER,
ADD COLUMN "ip" VARCHAR(45),
ADD COLUMN "user_agent" VARCHAR(512);

-- CreateIndex
CREATE INDEX "sessionscope_audit_actor_id_at_idx" ON "sessionscope_audit"("actor_id", "at");

-- CreateIndex
CREATE INDEX "sessionscope_audit_action_at_idx" ON "sessionscope_audit"("action", "at");

-- Append-only: entries can be added, never changed or removed.
CREATE FUNCTION "sessionscope_audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'sessionscope_audit is append-only';
END;
$$;

CREATE TRIGGER "sessionscope_audit_no_update_delete" BEFORE UPDATE OR DELETE ON "sessionscope_audit"
FOR EACH ROW EXECUTE FUNCTION "sessionscope_audit_append_only"();

CREATE TRIGGER "sessionscope_audit_no_truncate" BEFORE TRUNCATE ON "sessionscope_audit"
FOR EACH STATEMENT EXECUTE FUNCTION "sessionscope_audit_append_only"();

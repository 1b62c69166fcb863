-- The dashboard at a million sessions: an index for every filter and sort of the sessions list,
-- and a session counter, so that no list or count has to read the whole table.

-- Keyset pages order by (sort value, public_id): newest first walks (created_at, public_id) backwards.
DROP INDEX "sessionscope_session_meta_created_at_session_key_idx";
CREATE INDEX "sessionscope_session_meta_created_at_public_id_idx" ON "sessionscope_session_meta"("created_at", "public_id");

-- One user's sessions, newest first, straight from the index (replaces the plain user_id index).
DROP INDEX "sessionscope_session_meta_user_id_idx";
CREATE INDEX "sessionscope_session_meta_user_id_created_at_public_id_idx" ON "sessionscope_session_meta"("user_id", "created_at", "public_id");

-- Device family (the filter resolves its words to whole families first) and engine, in list order.
CREATE INDEX "sessionscope_session_meta_device_created_at_public_id_idx" ON "sessionscope_session_meta"("device", "created_at", "public_id");
CREATE INDEX "sessionscope_session_meta_engine_created_at_public_id_idx" ON "sessionscope_session_meta"("engine", "created_at", "public_id");

-- Prefix searches are ranges in byte order (COLLATE "C"), whatever the database's collation:
-- an address or its prefix, a public id's first characters, a username's (case-insensitive).
CREATE INDEX "sessionscope_session_meta_ip_idx" ON "sessionscope_session_meta"((lower("ip") COLLATE "C"));
CREATE INDEX "sessionscope_session_meta_public_id_c_idx" ON "sessionscope_session_meta"(("public_id" COLLATE "C"));
CREATE INDEX "auth_user_username_lower_idx" ON "auth_user"((lower("username") COLLATE "C"));

-- How many rows django_session holds, kept by triggers (whoever writes: SessionScope or a Django site),
-- so that "active sessions" is this total minus the expired ones (an index range over a small set).
-- One row per slot; each connection adds to its own slot (its backend pid modulo 16), so that
-- concurrent logins do not queue on one row's lock. Statement-level: one update per INSERT or DELETE.
CREATE TABLE "sessionscope_session_count" (
    "slot" SMALLINT NOT NULL,
    "total" BIGINT NOT NULL,
    CONSTRAINT "sessionscope_session_count_pkey" PRIMARY KEY ("slot")
);
-- sessionscope: own database only (a trigger-kept count on django_session; an attached Django database keeps its table untouched)
INSERT INTO "sessionscope_session_count" ("slot", "total") SELECT s, 0 FROM generate_series(0, 15) AS s;
-- sessionscope: own database only (a trigger-kept count on django_session; an attached Django database keeps its table untouched)
UPDATE "sessionscope_session_count" SET "total" = (SELECT count(*) FROM "django_session") WHERE "slot" = 0;

-- sessionscope: own database only (a trigger-kept count on django_session; an attached Django database keeps its table untouched)
CREATE FUNCTION "sessionscope_session_count_rows"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  delta BIGINT;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT count(*) INTO delta FROM inserted_rows;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT -count(*) INTO delta FROM deleted_rows;
  ELSE
    -- TRUNCATE: nothing is left.
    UPDATE "sessionscope_session_count" SET "total" = 0;
    RETURN NULL;
  END IF;
  IF delta <> 0 THEN
    UPDATE "sessionscope_session_count" SET "total" = "total" + delta WHERE "slot" = pg_backend_pid() % 16;
  END IF;
  RETURN NULL;
END
$$;

-- sessionscope: own database only (a trigger-kept count on django_session; an attached Django database keeps its table untouched)
CREATE TRIGGER "sessionscope_session_count_insert" AFTER INSERT ON "django_session"
  REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION "sessionscope_session_count_rows"();
-- sessionscope: own database only (a trigger-kept count on django_session; an attached Django database keeps its table untouched)
CREATE TRIGGER "sessionscope_session_count_delete" AFTER DELETE ON "django_session"
  REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION "sessionscope_session_count_rows"();
-- sessionscope: own database only (a trigger-kept count on django_session; an attached Django database keeps its table untouched)
CREATE TRIGGER "sessionscope_session_count_truncate" AFTER TRUNCATE ON "django_session"
  FOR EACH STATEMENT EXECUTE FUNCTION "sessionscope_session_count_rows"();

-- Custom SQL migration file, put your code below! --
-- Issue 11, item 18: row-level security on users, and an administrator context that SQL running as the
-- application role cannot forge (docs/decisions/002-row-level-security.md, "Threat model").
--
-- Until now app_is_admin() trusted the setting app.is_admin, which any SQL running as jobr_app can set
-- with set_config. Now the grant is a row in app_admin_grants keyed by the current transaction id, and
-- only app_grant_admin(proof) writes it, after checking the proof against a secret that jobr_app can
-- neither read nor write. The process reads that secret through its owner connection at start-up.

-- ---------------------------------------------------------------------------------------------
-- Who is restricted: jobr_app and every login role that is a member of it (the application may
-- connect as jobr_web IN ROLE jobr_app, and injected SQL may RESET ROLE back to that login role),
-- but not a superuser or a BYPASSRLS role (migrations, seeding, restores run as the owner).
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION app_role_restricted() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT pg_has_role(current_user, 'jobr_app', 'MEMBER')
       AND NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolbypassrls))
$$;
--> statement-breakpoint

-- The secret behind every administrator grant: one per database, created on first use, readable by the
-- owner only. Rotate it by deleting the row (as the owner) and restarting the processes.
CREATE TABLE IF NOT EXISTS app_admin_secret (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    secret text NOT NULL DEFAULT encode(gen_random_bytes(32), 'hex'),
    created_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
REVOKE ALL ON app_admin_secret FROM PUBLIC, jobr_app;
--> statement-breakpoint

-- Grants for transactions in progress. A committed row is inert: transaction ids (xid8) are never reused.
CREATE TABLE IF NOT EXISTS app_admin_grants (xact_id xid8 PRIMARY KEY);
--> statement-breakpoint
REVOKE ALL ON app_admin_grants FROM PUBLIC, jobr_app;
--> statement-breakpoint
GRANT SELECT ON app_admin_grants TO jobr_app;
--> statement-breakpoint

-- Records the administrator grant for the current transaction only, when the proof is the secret.
-- Compares hashes, so the comparison's duration says nothing about the secret.
CREATE OR REPLACE FUNCTION app_grant_admin(proof text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
    IF proof IS NULL OR NOT EXISTS (
        SELECT 1 FROM app_admin_secret WHERE sha256(convert_to(secret, 'UTF8')) = sha256(convert_to(proof, 'UTF8'))
    ) THEN
        RAISE EXCEPTION 'administrator proof refused' USING ERRCODE = '42501';
    END IF;
    -- Sweep the grants of finished transactions: every row this transaction can see but its own has
    -- committed (uncommitted rows of others are invisible). Rows another sweeper holds wait for the next.
    DELETE FROM app_admin_grants WHERE xact_id IN (
        SELECT xact_id FROM app_admin_grants WHERE xact_id <> pg_current_xact_id() FOR UPDATE SKIP LOCKED);
    INSERT INTO app_admin_grants VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
END;
$$;
--> statement-breakpoint
-- Ends the grant within the transaction (a unit of work that continues as a user).
CREATE OR REPLACE FUNCTION app_drop_admin() RETURNS void LANGUAGE sql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
    DELETE FROM app_admin_grants WHERE xact_id = pg_current_xact_id_if_assigned()
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_grant_admin(text), app_drop_admin() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_grant_admin(text), app_drop_admin() TO jobr_app;
--> statement-breakpoint

-- Reads the grant, no longer a setting. Other transactions' uncommitted grants are invisible (MVCC),
-- and committed ones carry another transaction id.
CREATE OR REPLACE FUNCTION app_is_admin() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM app_admin_grants WHERE xact_id = pg_current_xact_id_if_assigned())
$$;
--> statement-breakpoint

-- The identifier a sign-in names (a lower-case e-mail address or an E.164 number): shows that one row,
-- so the lockout counter can be kept before anyone is signed in.
CREATE OR REPLACE FUNCTION app_login_identifier() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT NULLIF(current_setting('app.login_identifier', true), '')
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_credential_hash() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT NULLIF(current_setting('app.credential_hash', true), '')
$$;
--> statement-breakpoint

-- The catalogue guard (0008) named jobr_app only; a member login role slipped past it.
CREATE OR REPLACE FUNCTION require_admin_context() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF app_role_restricted() AND NOT app_is_admin() THEN
        RAISE EXCEPTION 'only administrators change %', TG_TABLE_NAME USING ERRCODE = '42501';
    END IF;
    RETURN NULL;
END;
$$;
--> statement-breakpoint

-- ---------------------------------------------------------------------------------------------
-- users under row-level security. Not FORCEd: the owner (migrations, the audit trigger, a restore)
-- is not a request, and an application connected as the owner could switch RLS off anyway.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Own row, administrators, the row a sign-in names, and the row whose session or API key the caller
-- presented (authentication finds the user before it knows who they are).
CREATE POLICY users_read ON users FOR SELECT TO jobr_app USING (
    id = app_user_id()
    OR app_is_admin()
    OR lower(email) = lower(app_login_identifier())
    OR phone_number = app_login_identifier()
    OR id IN (SELECT user_id FROM user_sessions WHERE session_token = app_credential_hash())
    OR id IN (SELECT user_id FROM api_keys WHERE key_hash = app_credential_hash())
);
--> statement-breakpoint
-- Anyone may register, nobody but an administrator creates an administrator.
CREATE POLICY users_insert ON users FOR INSERT TO jobr_app WITH CHECK (role = 'user' OR app_is_admin());
--> statement-breakpoint
-- A sign-in may update the row it names; users_write_guard limits that to the lockout counters.
CREATE POLICY users_update ON users FOR UPDATE TO jobr_app
    USING (id = app_user_id() OR app_is_admin()
           OR lower(email) = lower(app_login_identifier()) OR phone_number = app_login_identifier())
    WITH CHECK (id = app_user_id() OR app_is_admin()
           OR lower(email) = lower(app_login_identifier()) OR phone_number = app_login_identifier());
--> statement-breakpoint
CREATE POLICY users_delete ON users FOR DELETE TO jobr_app USING (id = app_user_id() OR app_is_admin());
--> statement-breakpoint

-- The role column changes only in the administrator context, and a row reached through a sign-in
-- identifier only has its lockout counters changed.
CREATE OR REPLACE FUNCTION users_write_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    lockout_columns CONSTANT text[] := ARRAY['failed_login_attempts', 'locked_until', 'updated_at'];
BEGIN
    IF NOT app_role_restricted() OR app_is_admin() THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.role <> 'user' THEN
            RAISE EXCEPTION 'only administrators create administrators' USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.role IS DISTINCT FROM OLD.role THEN
        RAISE EXCEPTION 'only administrators change a role' USING ERRCODE = '42501';
    END IF;
    IF OLD.id IS DISTINCT FROM app_user_id()
       AND (to_jsonb(NEW) - lockout_columns) IS DISTINCT FROM (to_jsonb(OLD) - lockout_columns) THEN
        RAISE EXCEPTION 'a sign-in changes only the lockout counters' USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER users_write_guard BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_write_guard();
--> statement-breakpoint

-- app_is_admin() now reads a table: called once per row (a policy's `user_id = app_user_id() OR
-- app_is_admin()` is evaluated row by row) it cost ~20 µs a row, 4.6 s for an administrator's scan of
-- 200,000 rows. Written `(SELECT app_is_admin())` it is an InitPlan, evaluated once per statement: the
-- same scan took 0.09 s (measured on PostgreSQL 15; the old setting-based check took 0.4 s). Every
-- policy that calls it is rewritten so, the ones above included.
DO $$
DECLARE
    p record;
BEGIN
    FOR p IN SELECT schemaname, tablename, policyname, qual, with_check FROM pg_policies
             WHERE schemaname = 'public'
               AND (qual LIKE '%app_is_admin()%' OR with_check LIKE '%app_is_admin()%')
    LOOP
        IF p.qual IS NOT NULL THEN
            EXECUTE format('ALTER POLICY %I ON %I.%I USING (%s)', p.policyname, p.schemaname, p.tablename,
                           replace(p.qual, 'app_is_admin()', '(SELECT app_is_admin())'));
        END IF;
        IF p.with_check IS NOT NULL THEN
            EXECUTE format('ALTER POLICY %I ON %I.%I WITH CHECK (%s)', p.policyname, p.schemaname, p.tablename,
                           replace(p.with_check, 'app_is_admin()', '(SELECT app_is_admin())'));
        END IF;
    END LOOP;
END
$$;

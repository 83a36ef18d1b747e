-- Custom SQL migration file, put your code below! --
-- Extensions the design document asks for. gen_random_uuid() is built in since PostgreSQL 13;
-- pgcrypto stays for digest()/gen_random_bytes(), pg_trgm serves fuzzy location and name matching.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint

-- ---------------------------------------------------------------------------------------------
-- updated_at: the doc's trigger, on every table that has the column.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION update_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER update_users_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION update_updated_at();
--> statement-breakpoint
CREATE TRIGGER update_jobs_updated_at BEFORE UPDATE ON jobs FOR EACH ROW EXECUTE FUNCTION update_updated_at();
--> statement-breakpoint
CREATE TRIGGER update_applications_updated_at BEFORE UPDATE ON applications FOR EACH ROW EXECUTE FUNCTION update_updated_at();
--> statement-breakpoint
CREATE TRIGGER update_subscriptions_updated_at BEFORE UPDATE ON subscriptions FOR EACH ROW EXECUTE FUNCTION update_updated_at();
--> statement-breakpoint
CREATE TRIGGER update_payments_updated_at BEFORE UPDATE ON payments FOR EACH ROW EXECUTE FUNCTION update_updated_at();
--> statement-breakpoint

-- ---------------------------------------------------------------------------------------------
-- Request context. The application sets these per transaction with set_config(..., true), so a
-- pooled connection never carries one request's identity into the next (src/db/context.ts).
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION app_user_id() RETURNS uuid LANGUAGE sql STABLE AS $$
    SELECT NULLIF(current_setting('app.current_user_id', true), '')::uuid
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_is_admin() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT COALESCE(current_setting('app.is_admin', true), '') = 'on'
$$;
--> statement-breakpoint

-- ---------------------------------------------------------------------------------------------
-- Application status history: every status a row ever takes is recorded by the database itself,
-- whatever path changed it (API, task, or SQL typed by hand). Notes come from the transaction.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION record_application_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status THEN
        INSERT INTO application_status_history (application_id, status, notes)
        VALUES (NEW.id, NEW.status, NULLIF(current_setting('app.status_notes', true), ''));
    END IF;
    RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER record_application_status AFTER INSERT OR UPDATE OF status ON applications
    FOR EACH ROW EXECUTE FUNCTION record_application_status();
--> statement-breakpoint

-- ---------------------------------------------------------------------------------------------
-- Audit trail (doc: Security, "Audit Trail"). Secrets never reach the log; updates that touch
-- only bookkeeping columns are not logged. SECURITY DEFINER: the application role may read the
-- log (administrators only, by policy) but never write or alter it.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    secret_columns CONSTANT text[] := ARRAY['password_hash', 'key_hash', 'session_token'];
    bookkeeping_columns CONSTANT text[] := ARRAY['updated_at', 'last_used', 'last_accessed'];
    old_values jsonb;
    new_values jsonb;
    actor uuid := app_user_id();
BEGIN
    IF TG_OP <> 'INSERT' THEN old_values := to_jsonb(OLD) - secret_columns; END IF;
    IF TG_OP <> 'DELETE' THEN new_values := to_jsonb(NEW) - secret_columns; END IF;
    IF TG_OP = 'UPDATE' AND (old_values - bookkeeping_columns) = (new_values - bookkeeping_columns)
       AND (to_jsonb(OLD) -> 'password_hash') IS NOT DISTINCT FROM (to_jsonb(NEW) -> 'password_hash') THEN
        RETURN NULL;
    END IF;
    -- The actor may be the account being deleted in this very transaction.
    IF actor IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users WHERE id = actor) THEN actor := NULL; END IF;
    INSERT INTO audit_log (table_name, record_id, action, old_values, new_values, changed_by)
    VALUES (TG_TABLE_NAME, (COALESCE(new_values, old_values) ->> 'id')::uuid, TG_OP, old_values, new_values, actor);
    RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_users AFTER INSERT OR UPDATE OR DELETE ON users FOR EACH ROW EXECUTE FUNCTION audit_row();
--> statement-breakpoint
CREATE TRIGGER audit_api_keys AFTER INSERT OR UPDATE OR DELETE ON api_keys FOR EACH ROW EXECUTE FUNCTION audit_row();
--> statement-breakpoint
CREATE TRIGGER audit_subscriptions AFTER INSERT OR UPDATE OR DELETE ON subscriptions FOR EACH ROW EXECUTE FUNCTION audit_row();
--> statement-breakpoint
CREATE TRIGGER audit_payments AFTER INSERT OR UPDATE OR DELETE ON payments FOR EACH ROW EXECUTE FUNCTION audit_row();
--> statement-breakpoint
CREATE TRIGGER audit_application_status AFTER UPDATE OF status ON applications FOR EACH ROW EXECUTE FUNCTION audit_row();
--> statement-breakpoint

-- ---------------------------------------------------------------------------------------------
-- Row-level security. The application runs every request as jobr_app (SET LOCAL ROLE), a role that
-- owns nothing and cannot bypass RLS. Migrations and backups run as the owner.
-- ---------------------------------------------------------------------------------------------
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jobr_app') THEN
        CREATE ROLE jobr_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO jobr_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO jobr_app;
--> statement-breakpoint
REVOKE INSERT, UPDATE, DELETE ON audit_log FROM jobr_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO jobr_app;
--> statement-breakpoint
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['cvs', 'applications', 'applications_archive', 'job_bookmarks', 'usage_tracking',
                             'user_sessions', 'api_keys', 'subscriptions', 'payments']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    END LOOP;
END
$$;
--> statement-breakpoint
CREATE POLICY cvs_owner ON cvs FOR ALL TO jobr_app
    USING (user_id = app_user_id() OR app_is_admin()) WITH CHECK (user_id = app_user_id() OR app_is_admin());
--> statement-breakpoint
CREATE POLICY applications_owner ON applications FOR ALL TO jobr_app
    USING (user_id = app_user_id() OR app_is_admin()) WITH CHECK (user_id = app_user_id() OR app_is_admin());
--> statement-breakpoint
CREATE POLICY applications_archive_owner ON applications_archive FOR ALL TO jobr_app
    USING (user_id = app_user_id() OR app_is_admin()) WITH CHECK (user_id = app_user_id() OR app_is_admin());
--> statement-breakpoint
CREATE POLICY job_bookmarks_owner ON job_bookmarks FOR ALL TO jobr_app
    USING (user_id = app_user_id() OR app_is_admin()) WITH CHECK (user_id = app_user_id() OR app_is_admin());
--> statement-breakpoint
CREATE POLICY usage_tracking_owner ON usage_tracking FOR ALL TO jobr_app
    USING (user_id = app_user_id() OR app_is_admin()) WITH CHECK (user_id = app_user_id() OR app_is_admin());
--> statement-breakpoint
CREATE POLICY subscriptions_owner ON subscriptions FOR ALL TO jobr_app
    USING (user_id = app_user_id() OR app_is_admin()) WITH CHECK (user_id = app_user_id() OR app_is_admin());
--> statement-breakpoint
CREATE POLICY payments_owner ON payments FOR ALL TO jobr_app
    USING (user_id = app_user_id() OR app_is_admin()) WITH CHECK (user_id = app_user_id() OR app_is_admin());
--> statement-breakpoint
-- Sessions and API keys are also visible to whoever presents the secret: authentication looks the
-- row up by the hash it was given (app.credential_hash) before it knows the user.
CREATE POLICY user_sessions_owner ON user_sessions FOR ALL TO jobr_app
    USING (user_id = app_user_id() OR app_is_admin() OR session_token = current_setting('app.credential_hash', true))
    WITH CHECK (user_id = app_user_id() OR app_is_admin());
--> statement-breakpoint
CREATE POLICY api_keys_owner ON api_keys FOR ALL TO jobr_app
    USING (user_id = app_user_id() OR app_is_admin() OR key_hash = current_setting('app.credential_hash', true))
    WITH CHECK (user_id = app_user_id() OR app_is_admin());
--> statement-breakpoint
ALTER TABLE application_status_history ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE application_status_history FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY ash_owner ON application_status_history FOR ALL TO jobr_app
    USING (app_is_admin() OR EXISTS (SELECT 1 FROM applications a WHERE a.id = application_id AND a.user_id = app_user_id()))
    WITH CHECK (app_is_admin() OR EXISTS (SELECT 1 FROM applications a WHERE a.id = application_id AND a.user_id = app_user_id()));
--> statement-breakpoint
ALTER TABLE application_status_history_archive ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE application_status_history_archive FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY ash_archive_owner ON application_status_history_archive FOR ALL TO jobr_app
    USING (app_is_admin() OR EXISTS (SELECT 1 FROM applications_archive a WHERE a.id = application_id AND a.user_id = app_user_id()))
    WITH CHECK (app_is_admin() OR EXISTS (SELECT 1 FROM applications_archive a WHERE a.id = application_id AND a.user_id = app_user_id()));
--> statement-breakpoint
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY audit_log_admin_read ON audit_log FOR SELECT TO jobr_app USING (app_is_admin());

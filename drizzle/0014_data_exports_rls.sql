-- Custom SQL migration file, put your code below! --
-- A user's exports are theirs alone (the system context builds them).
ALTER TABLE data_exports ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE data_exports FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY data_exports_owner ON data_exports FOR ALL TO jobr_app
    USING (user_id = app_user_id() OR app_is_admin()) WITH CHECK (user_id = app_user_id() OR app_is_admin());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON data_exports TO jobr_app;

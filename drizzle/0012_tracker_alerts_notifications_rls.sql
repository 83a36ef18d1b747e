-- Custom SQL migration file, put your code below! --
-- Notifications, settings and saved searches are their owner's (administrators and system tasks see all).
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['notifications', 'notification_settings', 'saved_searches'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR ALL TO jobr_app USING (user_id = app_user_id() OR app_is_admin()) WITH CHECK (user_id = app_user_id() OR app_is_admin())', t || '_owner', t);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO jobr_app', t);
    END LOOP;
END
$$;
--> statement-breakpoint
ALTER TABLE saved_search_alerts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE saved_search_alerts FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY saved_search_alerts_owner ON saved_search_alerts FOR ALL TO jobr_app
    USING (app_is_admin() OR EXISTS (SELECT 1 FROM saved_searches s WHERE s.id = saved_search_id AND s.user_id = app_user_id()))
    WITH CHECK (app_is_admin());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON saved_search_alerts TO jobr_app;
--> statement-breakpoint
CREATE TRIGGER update_saved_searches_updated_at BEFORE UPDATE ON saved_searches
    FOR EACH ROW EXECUTE FUNCTION update_updated_at();
--> statement-breakpoint
CREATE TRIGGER update_notification_settings_updated_at BEFORE UPDATE ON notification_settings
    FOR EACH ROW EXECUTE FUNCTION update_updated_at();

-- Custom SQL migration file, put your code below! --
-- Preferences and cover letters are their owner's alone (administrators see all, as elsewhere).
ALTER TABLE user_preferences ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE user_preferences FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY user_preferences_owner ON user_preferences FOR ALL TO jobr_app
    USING (user_id = app_user_id() OR app_is_admin()) WITH CHECK (user_id = app_user_id() OR app_is_admin());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON user_preferences TO jobr_app;
--> statement-breakpoint
ALTER TABLE cover_letters ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE cover_letters FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY cover_letters_owner ON cover_letters FOR ALL TO jobr_app
    USING (user_id = app_user_id() OR app_is_admin()) WITH CHECK (user_id = app_user_id() OR app_is_admin());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON cover_letters TO jobr_app;

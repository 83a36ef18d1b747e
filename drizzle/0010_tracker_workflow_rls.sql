-- Custom SQL migration file, put your code below! --
-- Notes are the application owner's (and administrators'); invisible to everyone else.
ALTER TABLE application_notes ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE application_notes FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY application_notes_owner ON application_notes FOR ALL TO jobr_app
    USING (user_id = app_user_id() OR app_is_admin()) WITH CHECK (user_id = app_user_id() OR app_is_admin());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON application_notes TO jobr_app;
--> statement-breakpoint
-- Notes follow an application into the archive; when the application itself is deleted (its CV or job
-- was deleted), its notes go with it.
CREATE OR REPLACE FUNCTION delete_application_notes() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    DELETE FROM application_notes n
    WHERE n.application_id = OLD.id AND NOT EXISTS (SELECT 1 FROM applications_archive a WHERE a.id = OLD.id);
    RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER delete_application_notes AFTER DELETE ON applications
    FOR EACH ROW EXECUTE FUNCTION delete_application_notes();

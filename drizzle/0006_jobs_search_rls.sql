-- Custom SQL migration file, put your code below! --
-- Skills whose names are mostly symbols do not survive PostgreSQL's text parser ("C#" and "C++" both
-- become 'c', ".NET" becomes 'net'). search_text() rewrites them into plain words before parsing; the
-- same function is applied to documents (trigger below) and to queries (src/modules/jobs/search.ts).
CREATE OR REPLACE FUNCTION search_text(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(COALESCE(t, ''),
        '(^|[^[:alnum:]_])c#', '\1 csharp ', 'gi'),
        '(^|[^[:alnum:]_])f#', '\1 fsharp ', 'gi'),
        '(^|[^[:alnum:]_])c\+\+', '\1 cplusplus ', 'gi'),
        '\.net($|[^[:alnum:]_])', ' dotnet \1', 'gi'),
        '(^|[^[:alnum:]_])node(\.|\s)?js($|[^[:alnum:]_])', '\1 nodejs \3', 'gi')
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION jobs_search_vector_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', search_text(NEW.title)), 'A') ||
        setweight(to_tsvector('english', search_text(COALESCE(NEW.company, '') || ' ' || array_to_string(NEW.requirements, ' '))), 'B') ||
        setweight(to_tsvector('english', search_text(NEW.description)), 'C');
    RETURN NEW;
END;
$$;
--> statement-breakpoint
UPDATE jobs SET title = title;
--> statement-breakpoint
-- The catalogue is public to read; through the application role only administrators (and system tasks
-- such as imports) change it. Not FORCEd: the owner (migrations, seeding, restores) is not a request.
ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY jobs_read ON jobs FOR SELECT TO jobr_app USING (true);
--> statement-breakpoint
CREATE POLICY jobs_admin_write ON jobs FOR ALL TO jobr_app USING (app_is_admin()) WITH CHECK (app_is_admin());
--> statement-breakpoint
ALTER TABLE job_categories ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY job_categories_read ON job_categories FOR SELECT TO jobr_app USING (true);
--> statement-breakpoint
CREATE POLICY job_categories_admin_write ON job_categories FOR ALL TO jobr_app USING (app_is_admin()) WITH CHECK (app_is_admin());

--> statement-breakpoint
-- The number of live applications a job has received, for everyone to see, without exposing the rows
-- (row-level security would otherwise let a user count only their own).
CREATE OR REPLACE FUNCTION job_application_count(job uuid) RETURNS integer LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
    SELECT count(*)::int FROM applications WHERE job_id = job AND status <> 'withdrawn' AND deleted_at IS NULL
$$;

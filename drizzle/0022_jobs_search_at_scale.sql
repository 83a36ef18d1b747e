CREATE TABLE "job_catalogue" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "job_catalogue_one_row" CHECK ("job_catalogue"."id")
);
--> statement-breakpoint
-- Issue 19: indexes on jobs that no query uses (test/jobs-indexes.test.ts lists the ones kept and the
-- queries that need them). Each slowed every write; last_seen_at's kept unchanged re-imports from being
-- HOT updates.
DROP INDEX "idx_jobs_title_company";--> statement-breakpoint
DROP INDEX "idx_jobs_location";--> statement-breakpoint
DROP INDEX "idx_jobs_remote";--> statement-breakpoint
DROP INDEX "idx_jobs_salary";--> statement-breakpoint
DROP INDEX "idx_jobs_posted_date";--> statement-breakpoint
DROP INDEX "idx_jobs_search_fts";--> statement-breakpoint
DROP INDEX "idx_jobs_location_remote";--> statement-breakpoint
DROP INDEX "idx_jobs_salary_range";--> statement-breakpoint
DROP INDEX "idx_jobs_remote_only";--> statement-breakpoint
DROP INDEX "idx_jobs_requirements";--> statement-breakpoint
DROP INDEX "idx_jobs_salary_yearly";--> statement-breakpoint
DROP INDEX "idx_jobs_source_url";--> statement-breakpoint
DROP INDEX "idx_jobs_last_seen_at";
--> statement-breakpoint
-- The catalogue version (decision 019): one row, bumped by every statement that changes jobs, in the
-- writing transaction, so a reader sees the new version exactly when it sees the new rows. Search keeps
-- facet counts per filter under the version they were counted at.
INSERT INTO job_catalogue (id, version) VALUES (true, 0) ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- The application role reads the version; only the trigger (as the owner) changes it.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON job_catalogue FROM jobr_app;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION job_catalogue_bump() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE job_catalogue SET version = version + 1;
    RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Per statement, not per row: a batch of 1,000 upserts bumps once. (Transition tables could skip
-- statements that changed no row, but they copy every written row: too dear for imports.)
CREATE TRIGGER job_catalogue_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON jobs
    FOR EACH STATEMENT EXECUTE FUNCTION job_catalogue_bump();

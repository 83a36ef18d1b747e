CREATE TABLE "job_import_issues" (
	"import_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"line" integer NOT NULL,
	"kind" varchar(10) NOT NULL,
	"field" varchar(50),
	"value" text,
	"reason" text NOT NULL,
	CONSTRAINT "job_import_issues_import_id_seq_pk" PRIMARY KEY("import_id","seq"),
	CONSTRAINT "job_import_issues_kind_valid" CHECK ("job_import_issues"."kind" IN ('warning', 'rejected'))
);
--> statement-breakpoint
CREATE TABLE "job_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_by" uuid,
	"source" varchar(50) NOT NULL,
	"counts" jsonb DEFAULT '{}' NOT NULL,
	"issues_truncated" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_words" (
	"word" varchar(40) PRIMARY KEY NOT NULL
);
--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "description_html" text;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "content_key" varchar(64);--> statement-breakpoint
ALTER TABLE "job_import_issues" ADD CONSTRAINT "job_import_issues_import_id_job_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."job_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_imports" ADD CONSTRAINT "job_imports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_job_words_trgm" ON "job_words" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "idx_jobs_source_content_key" ON "jobs" USING btree ("source","content_key") WHERE "jobs"."content_key" is not null;--> statement-breakpoint
-- Import reports are for administrators only (they quote values from the imported files).
ALTER TABLE job_imports ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE job_imports FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY job_imports_admin ON job_imports TO jobr_app USING ((SELECT app_is_admin())) WITH CHECK ((SELECT app_is_admin()));
--> statement-breakpoint
ALTER TABLE job_import_issues ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE job_import_issues FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY job_import_issues_admin ON job_import_issues TO jobr_app USING ((SELECT app_is_admin())) WITH CHECK ((SELECT app_is_admin()));
--> statement-breakpoint
-- The vocabulary is public like the catalogue (no row-level security, decision 004); only the
-- administrator context (imports, job writes) adds to it, as for jobs (0008).
CREATE TRIGGER job_words_admin_only BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON job_words
    FOR EACH STATEMENT EXECUTE FUNCTION require_admin_context();
--> statement-breakpoint
-- The vocabulary of the jobs already there (titles, companies, skills), as src/modules/jobs/suggest.ts adds it.
INSERT INTO job_words (word)
SELECT DISTINCT w FROM jobs,
    regexp_split_to_table(lower(title || ' ' || company || ' ' || array_to_string(skills, ' ') || ' ' || array_to_string(text_skills, ' ')), '[^[:alnum:]+#]+') AS w
WHERE length(w) BETWEEN 3 AND 40 AND w ~ '^[[:alpha:]]'
ON CONFLICT DO NOTHING;

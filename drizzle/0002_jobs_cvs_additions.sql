ALTER TABLE "cvs" ADD COLUMN "profile" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "cvs" ADD COLUMN "skills" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "cvs" ADD COLUMN "storage_key" varchar(255);--> statement-breakpoint
ALTER TABLE "cvs" ADD COLUMN "mime_type" varchar(100);--> statement-breakpoint
ALTER TABLE "cvs" ADD COLUMN "content_sha256" varchar(64);--> statement-breakpoint
ALTER TABLE "cvs" ADD COLUMN "page_count" integer;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "source" varchar(50) DEFAULT 'manual' NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "external_id" varchar(255);--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "source_url" text;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "salary_currency" varchar(3) DEFAULT 'USD' NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "salary_period" varchar(10) DEFAULT 'yearly' NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "salary_yearly_min" integer;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "salary_yearly_max" integer;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "first_seen_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "last_seen_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "skills" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "search_vector" "tsvector";--> statement-breakpoint
CREATE INDEX "idx_cvs_skills" ON "cvs" USING gin ("skills");--> statement-breakpoint
CREATE INDEX "idx_jobs_search_vector" ON "jobs" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "idx_jobs_skills" ON "jobs" USING gin ("skills");--> statement-breakpoint
CREATE INDEX "idx_jobs_salary_yearly" ON "jobs" USING btree ("salary_currency","salary_yearly_min","salary_yearly_max");--> statement-breakpoint
CREATE INDEX "idx_jobs_posted_date_id" ON "jobs" USING btree ("posted_date" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_jobs_location_trgm" ON "jobs" USING gin (lower("location") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "idx_jobs_source_url" ON "jobs" USING btree ("source_url") WHERE "jobs"."source_url" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "idx_jobs_last_seen_at" ON "jobs" USING btree ("last_seen_at");--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_source_external_id_key" UNIQUE("source","external_id");--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_salary_currency_valid" CHECK ("jobs"."salary_currency" IN ('USD', 'INR', 'EUR', 'GBP'));--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_salary_period_valid" CHECK ("jobs"."salary_period" IN ('hourly', 'daily', 'monthly', 'yearly'));--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_salary_yearly_valid" CHECK ("jobs"."salary_yearly_max" IS NULL OR "jobs"."salary_yearly_min" IS NULL OR "jobs"."salary_yearly_max" >= "jobs"."salary_yearly_min");
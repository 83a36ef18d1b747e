CREATE TABLE "application_status_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"status" varchar(20) NOT NULL,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ash_status_valid" CHECK ("application_status_history"."status" IN ('submitted', 'reviewing', 'interview', 'rejected', 'accepted', 'withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "application_status_history_archive" (
	"id" uuid PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"status" varchar(20) NOT NULL,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ash_archive_status_valid" CHECK ("application_status_history_archive"."status" IN ('submitted', 'reviewing', 'interview', 'rejected', 'accepted', 'withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"cv_id" uuid NOT NULL,
	"status" varchar(20) DEFAULT 'submitted' NOT NULL,
	"cover_letter" text,
	"custom_message" text,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "applications_job_id_user_id_key" UNIQUE("job_id","user_id"),
	CONSTRAINT "applications_status_valid" CHECK ("applications"."status" IN ('submitted', 'reviewing', 'interview', 'rejected', 'accepted', 'withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "applications_archive" (
	"id" uuid PRIMARY KEY NOT NULL,
	"job_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"cv_id" uuid NOT NULL,
	"status" varchar(20) DEFAULT 'submitted' NOT NULL,
	"cover_letter" text,
	"custom_message" text,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"archived_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "applications_archive_job_id_user_id_key" UNIQUE("job_id","user_id"),
	CONSTRAINT "applications_archive_status_valid" CHECK ("applications_archive"."status" IN ('submitted', 'reviewing', 'interview', 'rejected', 'accepted', 'withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"table_name" varchar(100) NOT NULL,
	"record_id" uuid NOT NULL,
	"action" varchar(10) NOT NULL,
	"old_values" jsonb,
	"new_values" jsonb,
	"changed_by" uuid,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_log_action_valid" CHECK ("audit_log"."action" IN ('INSERT', 'UPDATE', 'DELETE'))
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"subscription_id" uuid,
	"amount" integer NOT NULL,
	"currency" varchar(3) DEFAULT 'USD' NOT NULL,
	"status" varchar(20) DEFAULT 'pending' NOT NULL,
	"payment_method" varchar(20) NOT NULL,
	"stripe_payment_intent_id" varchar(255),
	"phonepe_transaction_id" varchar(255),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_stripe_payment_intent_id_key" UNIQUE("stripe_payment_intent_id"),
	CONSTRAINT "payments_phonepe_transaction_id_key" UNIQUE("phonepe_transaction_id"),
	CONSTRAINT "payments_amount_positive" CHECK ("payments"."amount" > 0),
	CONSTRAINT "payments_currency_valid" CHECK ("payments"."currency" IN ('USD', 'INR', 'EUR', 'GBP')),
	CONSTRAINT "payments_status_valid" CHECK ("payments"."status" IN ('pending', 'processing', 'succeeded', 'failed', 'canceled')),
	CONSTRAINT "payments_method_valid" CHECK ("payments"."payment_method" IN ('stripe', 'phonepe'))
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"plan_id" varchar(50) NOT NULL,
	"status" varchar(20) DEFAULT 'active' NOT NULL,
	"current_period_start" timestamp with time zone NOT NULL,
	"current_period_end" timestamp with time zone NOT NULL,
	"cancel_at_period_end" boolean DEFAULT false NOT NULL,
	"canceled_at" timestamp with time zone,
	"stripe_subscription_id" varchar(255),
	"payment_method" varchar(20) DEFAULT 'stripe' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscriptions_stripe_subscription_id_key" UNIQUE("stripe_subscription_id"),
	CONSTRAINT "subscriptions_status_valid" CHECK ("subscriptions"."status" IN ('active', 'canceled', 'past_due', 'unpaid', 'paused')),
	CONSTRAINT "subscriptions_payment_method_valid" CHECK ("subscriptions"."payment_method" IN ('stripe', 'phonepe')),
	CONSTRAINT "subscriptions_period_valid" CHECK ("subscriptions"."current_period_end" > "subscriptions"."current_period_start")
);
--> statement-breakpoint
CREATE TABLE "usage_tracking" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"action_type" varchar(50) NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ut_action_type_valid" CHECK ("usage_tracking"."action_type" IN ('cv_upload', 'job_application', 'ai_match', 'cover_letter_generated'))
);
--> statement-breakpoint
CREATE TABLE "cvs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"file_name" varchar(255) NOT NULL,
	"file_size" integer NOT NULL,
	"parsed_content" text NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cvs_file_size_limit" CHECK ("cvs"."file_size" <= 5242880),
	CONSTRAINT "cvs_file_name_length" CHECK (LENGTH("cvs"."file_name") > 0)
);
--> statement-breakpoint
CREATE TABLE "job_bookmarks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_bookmarks_user_id_job_id_key" UNIQUE("user_id","job_id")
);
--> statement-breakpoint
CREATE TABLE "job_categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(100) NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_categories_name_key" UNIQUE("name"),
	CONSTRAINT "job_categories_name_length" CHECK (LENGTH("job_categories"."name") > 0)
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" varchar(255) NOT NULL,
	"company" varchar(255) NOT NULL,
	"location" varchar(255),
	"remote" boolean DEFAULT false NOT NULL,
	"salary_min" integer,
	"salary_max" integer,
	"experience_level" varchar(20),
	"job_type" varchar(20) DEFAULT 'full-time' NOT NULL,
	"description" text NOT NULL,
	"requirements" text[] DEFAULT '{}' NOT NULL,
	"posted_date" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"category_id" uuid,
	CONSTRAINT "jobs_salary_valid" CHECK ("jobs"."salary_max" IS NULL OR "jobs"."salary_min" IS NULL OR "jobs"."salary_max" >= "jobs"."salary_min"),
	CONSTRAINT "jobs_experience_level_valid" CHECK ("jobs"."experience_level" IN ('junior', 'mid', 'senior', 'executive')),
	CONSTRAINT "jobs_job_type_valid" CHECK ("jobs"."job_type" IN ('full-time', 'part-time', 'contract', 'internship', 'freelance'))
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"key_hash" varchar(255) NOT NULL,
	"name" varchar(100) NOT NULL,
	"permissions" text[] DEFAULT '{}' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used" timestamp with time zone,
	"prefix" varchar(32),
	CONSTRAINT "api_keys_key_hash_key" UNIQUE("key_hash"),
	CONSTRAINT "ak_name_length" CHECK (LENGTH("api_keys"."name") > 0)
);
--> statement-breakpoint
CREATE TABLE "user_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"session_token" varchar(500) NOT NULL,
	"user_agent" text,
	"ip_address" "inet",
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_accessed" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_sessions_session_token_key" UNIQUE("session_token"),
	CONSTRAINT "us_expires_future" CHECK ("user_sessions"."expires_at" > "user_sessions"."created_at")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" varchar(255),
	"name" varchar(255) NOT NULL,
	"password_hash" varchar(255),
	"phone_number" varchar(20),
	"plan" varchar(50) DEFAULT 'Free' NOT NULL,
	"plan_status" varchar(20) DEFAULT 'active' NOT NULL,
	"verified" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"google_id" varchar(255),
	"replit_id" varchar(255),
	"failed_login_attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"role" varchar(20) DEFAULT 'user' NOT NULL,
	CONSTRAINT "users_email_key" UNIQUE("email"),
	CONSTRAINT "users_phone_number_key" UNIQUE("phone_number"),
	CONSTRAINT "users_google_id_key" UNIQUE("google_id"),
	CONSTRAINT "users_replit_id_key" UNIQUE("replit_id"),
	CONSTRAINT "users_email_or_phone_required" CHECK ("users"."email" IS NOT NULL OR "users"."phone_number" IS NOT NULL),
	CONSTRAINT "users_plan_valid" CHECK ("users"."plan" IN ('Free', 'Premium', 'Enterprise')),
	CONSTRAINT "users_plan_status_valid" CHECK ("users"."plan_status" IN ('active', 'cancelled', 'past_due', 'unpaid')),
	CONSTRAINT "users_email_valid" CHECK ("users"."email" ~ '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$'),
	CONSTRAINT "users_role_valid" CHECK ("users"."role" IN ('user', 'admin')),
	CONSTRAINT "users_failed_login_attempts_nonnegative" CHECK ("users"."failed_login_attempts" >= 0)
);
--> statement-breakpoint
ALTER TABLE "application_status_history" ADD CONSTRAINT "application_status_history_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_status_history_archive" ADD CONSTRAINT "application_status_history_archive_application_id_applications_archive_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications_archive"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_cv_id_cvs_id_fk" FOREIGN KEY ("cv_id") REFERENCES "public"."cvs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications_archive" ADD CONSTRAINT "applications_archive_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_subscription_id_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."subscriptions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_tracking" ADD CONSTRAINT "usage_tracking_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cvs" ADD CONSTRAINT "cvs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_bookmarks" ADD CONSTRAINT "job_bookmarks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_bookmarks" ADD CONSTRAINT "job_bookmarks_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_category_id_job_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."job_categories"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_sessions" ADD CONSTRAINT "user_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_ash_application_id" ON "application_status_history" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "idx_ash_created_at" ON "application_status_history" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_ash_app_created" ON "application_status_history" USING btree ("application_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_ash_archive_app_created" ON "application_status_history_archive" USING btree ("application_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_applications_user_id" ON "applications" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_applications_job_id" ON "applications" USING btree ("job_id");--> statement-breakpoint
CREATE INDEX "idx_applications_cv_id" ON "applications" USING btree ("cv_id");--> statement-breakpoint
CREATE INDEX "idx_applications_status" ON "applications" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_applications_user_status" ON "applications" USING btree ("user_id","status");--> statement-breakpoint
CREATE INDEX "idx_applications_submitted_at" ON "applications" USING btree ("submitted_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_applications_job_submitted" ON "applications" USING btree ("job_id") WHERE "applications"."status" != 'withdrawn';--> statement-breakpoint
CREATE INDEX "idx_applications_archive_user_id" ON "applications_archive" USING btree ("user_id","submitted_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_audit_log_record" ON "audit_log" USING btree ("table_name","record_id","changed_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_audit_log_changed_at" ON "audit_log" USING btree ("changed_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_payments_user_id" ON "payments" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_payments_subscription_id" ON "payments" USING btree ("subscription_id");--> statement-breakpoint
CREATE INDEX "idx_payments_status" ON "payments" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_payments_method" ON "payments" USING btree ("payment_method");--> statement-breakpoint
CREATE INDEX "idx_payments_created_at" ON "payments" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_payments_stripe_intent" ON "payments" USING btree ("stripe_payment_intent_id") WHERE "payments"."stripe_payment_intent_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "idx_payments_phonepe_txn" ON "payments" USING btree ("phonepe_transaction_id") WHERE "payments"."phonepe_transaction_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "idx_subscriptions_user_id" ON "subscriptions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_subscriptions_status" ON "subscriptions" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_subscriptions_user_status" ON "subscriptions" USING btree ("user_id","status");--> statement-breakpoint
CREATE INDEX "idx_subscriptions_period_end" ON "subscriptions" USING btree ("current_period_end");--> statement-breakpoint
CREATE INDEX "idx_subscriptions_stripe_id" ON "subscriptions" USING btree ("stripe_subscription_id") WHERE "subscriptions"."stripe_subscription_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "idx_subscriptions_user_active" ON "subscriptions" USING btree ("user_id","status") WHERE "subscriptions"."status" = 'active';--> statement-breakpoint
CREATE INDEX "idx_ut_user_id" ON "usage_tracking" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_ut_action_type" ON "usage_tracking" USING btree ("action_type");--> statement-breakpoint
CREATE INDEX "idx_ut_created_at" ON "usage_tracking" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_ut_user_action_date" ON "usage_tracking" USING btree ("user_id","action_type","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_ut_metadata" ON "usage_tracking" USING gin ("metadata");--> statement-breakpoint
CREATE INDEX "idx_usage_tracking_created_at" ON "usage_tracking" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_usage_metadata" ON "usage_tracking" USING gin ("metadata");--> statement-breakpoint
CREATE INDEX "idx_cvs_user_id" ON "cvs" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_cvs_uploaded_at" ON "cvs" USING btree ("uploaded_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_cvs_parsed_content_fts" ON "cvs" USING gin (to_tsvector('english', "parsed_content"));--> statement-breakpoint
CREATE INDEX "idx_cvs_user_recent" ON "cvs" USING btree ("user_id","uploaded_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_job_bookmarks_user_id" ON "job_bookmarks" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_job_bookmarks_job_id" ON "job_bookmarks" USING btree ("job_id");--> statement-breakpoint
CREATE INDEX "idx_job_bookmarks_created_at" ON "job_bookmarks" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_jobs_title_company" ON "jobs" USING btree ("title","company");--> statement-breakpoint
CREATE INDEX "idx_jobs_location" ON "jobs" USING btree ("location") WHERE "jobs"."location" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "idx_jobs_remote" ON "jobs" USING btree ("remote") WHERE "jobs"."remote" = TRUE;--> statement-breakpoint
CREATE INDEX "idx_jobs_salary" ON "jobs" USING btree ("salary_min","salary_max");--> statement-breakpoint
CREATE INDEX "idx_jobs_experience_level" ON "jobs" USING btree ("experience_level");--> statement-breakpoint
CREATE INDEX "idx_jobs_job_type" ON "jobs" USING btree ("job_type");--> statement-breakpoint
CREATE INDEX "idx_jobs_posted_date" ON "jobs" USING btree ("posted_date" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_jobs_search_fts" ON "jobs" USING gin (to_tsvector('english', "title" || ' ' || "company" || ' ' || COALESCE("description", '')));--> statement-breakpoint
CREATE INDEX "idx_jobs_location_remote" ON "jobs" USING btree ("location","remote");--> statement-breakpoint
CREATE INDEX "idx_jobs_salary_range" ON "jobs" USING btree ("salary_min","salary_max") WHERE "jobs"."salary_min" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "idx_jobs_remote_only" ON "jobs" USING btree ("remote") WHERE "jobs"."remote" = TRUE;--> statement-breakpoint
CREATE INDEX "idx_jobs_requirements" ON "jobs" USING gin ("requirements");--> statement-breakpoint
CREATE INDEX "idx_jobs_category_id" ON "jobs" USING btree ("category_id");--> statement-breakpoint
CREATE INDEX "idx_ak_user_id" ON "api_keys" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_ak_key_hash" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "idx_ak_active" ON "api_keys" USING btree ("active") WHERE "api_keys"."active" = TRUE;--> statement-breakpoint
CREATE INDEX "idx_ak_expires_at" ON "api_keys" USING btree ("expires_at") WHERE "api_keys"."expires_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "idx_api_keys_active" ON "api_keys" USING btree ("active") WHERE "api_keys"."active" = TRUE;--> statement-breakpoint
CREATE INDEX "idx_us_user_id" ON "user_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_us_session_token" ON "user_sessions" USING btree ("session_token");--> statement-breakpoint
CREATE INDEX "idx_us_expires_at" ON "user_sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "idx_us_last_accessed" ON "user_sessions" USING btree ("last_accessed" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_sessions_valid" ON "user_sessions" USING btree ("user_id","expires_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_users_email" ON "users" USING btree ("email") WHERE "users"."email" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "idx_users_phone" ON "users" USING btree ("phone_number") WHERE "users"."phone_number" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "idx_users_plan_status" ON "users" USING btree ("plan","plan_status");--> statement-breakpoint
CREATE INDEX "idx_users_google_id" ON "users" USING btree ("google_id") WHERE "users"."google_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "idx_users_replit_id" ON "users" USING btree ("replit_id") WHERE "users"."replit_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "idx_users_created_at" ON "users" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_key" ON "users" USING btree (lower("email"));
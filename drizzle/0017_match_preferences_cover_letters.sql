CREATE TABLE "cover_letters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"job_id" uuid,
	"cv_id" uuid,
	"application_id" uuid,
	"tone" varchar(20) DEFAULT 'professional' NOT NULL,
	"length" varchar(10) DEFAULT 'medium' NOT NULL,
	"generator" varchar(10) DEFAULT 'template' NOT NULL,
	"body" text NOT NULL,
	"facts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cover_letters_tone_valid" CHECK ("cover_letters"."tone" IN ('professional', 'friendly', 'enthusiastic')),
	CONSTRAINT "cover_letters_length_valid" CHECK ("cover_letters"."length" IN ('short', 'medium', 'long')),
	CONSTRAINT "cover_letters_generator_valid" CHECK ("cover_letters"."generator" IN ('template', 'llm', 'edited')),
	CONSTRAINT "cover_letters_body_length" CHECK (LENGTH("cover_letters"."body") BETWEEN 1 AND 20000)
);
--> statement-breakpoint
CREATE TABLE "user_preferences" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"locations" text[] DEFAULT '{}' NOT NULL,
	"remote" varchar(10),
	"salary_min" integer,
	"salary_currency" varchar(3),
	"levels" text[] DEFAULT '{}' NOT NULL,
	"job_types" text[] DEFAULT '{}' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_preferences_remote_valid" CHECK ("user_preferences"."remote" IN ('only', 'preferred', 'no')),
	CONSTRAINT "user_preferences_salary_min_valid" CHECK ("user_preferences"."salary_min" IS NULL OR "user_preferences"."salary_min" >= 0),
	CONSTRAINT "user_preferences_salary_currency_valid" CHECK ("user_preferences"."salary_currency" IS NULL OR "user_preferences"."salary_currency" IN ('USD', 'INR', 'EUR', 'GBP'))
);
--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "text_skills" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "cover_letters" ADD CONSTRAINT "cover_letters_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cover_letters" ADD CONSTRAINT "cover_letters_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cover_letters" ADD CONSTRAINT "cover_letters_cv_id_cvs_id_fk" FOREIGN KEY ("cv_id") REFERENCES "public"."cvs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cover_letters" ADD CONSTRAINT "cover_letters_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_preferences" ADD CONSTRAINT "user_preferences_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_cover_letters_user" ON "cover_letters" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_jobs_text_skills" ON "jobs" USING gin ("text_skills");
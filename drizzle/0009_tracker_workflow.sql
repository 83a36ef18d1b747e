CREATE TABLE "application_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"author_id" uuid,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "application_notes_body_length" CHECK (length("application_notes"."body") between 1 and 5000)
);
--> statement-breakpoint
ALTER TABLE "applications_archive" DROP CONSTRAINT "applications_archive_job_id_user_id_key";--> statement-breakpoint
ALTER TABLE "application_status_history" DROP CONSTRAINT "ash_status_valid";--> statement-breakpoint
ALTER TABLE "application_status_history_archive" DROP CONSTRAINT "ash_archive_status_valid";--> statement-breakpoint
ALTER TABLE "applications" DROP CONSTRAINT "applications_status_valid";--> statement-breakpoint
ALTER TABLE "applications_archive" DROP CONSTRAINT "applications_archive_status_valid";--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "next_step" varchar(200);--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "next_step_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "applications_archive" ADD COLUMN "next_step" varchar(200);--> statement-breakpoint
ALTER TABLE "applications_archive" ADD COLUMN "next_step_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "application_notes" ADD CONSTRAINT "application_notes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_notes" ADD CONSTRAINT "application_notes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_application_notes_app_created" ON "application_notes" USING btree ("application_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_application_notes_user_id" ON "application_notes" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_applications_archive_job_user" ON "applications_archive" USING btree ("job_id","user_id");--> statement-breakpoint
ALTER TABLE "application_status_history" ADD CONSTRAINT "ash_status_valid" CHECK ("application_status_history"."status" IN ('submitted', 'reviewing', 'interview', 'offer', 'rejected', 'accepted', 'withdrawn'));--> statement-breakpoint
ALTER TABLE "application_status_history_archive" ADD CONSTRAINT "ash_archive_status_valid" CHECK ("application_status_history_archive"."status" IN ('submitted', 'reviewing', 'interview', 'offer', 'rejected', 'accepted', 'withdrawn'));--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_status_valid" CHECK ("applications"."status" IN ('submitted', 'reviewing', 'interview', 'offer', 'rejected', 'accepted', 'withdrawn'));--> statement-breakpoint
ALTER TABLE "applications_archive" ADD CONSTRAINT "applications_archive_status_valid" CHECK ("applications_archive"."status" IN ('submitted', 'reviewing', 'interview', 'offer', 'rejected', 'accepted', 'withdrawn'));
CREATE TABLE "cv_parses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "rate_limit_counters" (
	"key" varchar(64) PRIMARY KEY NOT NULL,
	"hits" integer NOT NULL,
	"reset_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stored_files" (
	"key" varchar(255) PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"bytes" "bytea" NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stored_files_size_matches" CHECK ("stored_files"."size_bytes" = octet_length("stored_files"."bytes"))
);
--> statement-breakpoint
ALTER TABLE "cv_parses" ADD CONSTRAINT "cv_parses_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stored_files" ADD CONSTRAINT "stored_files_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_cv_parses_user" ON "cv_parses" USING btree ("user_id","started_at");--> statement-breakpoint
CREATE INDEX "idx_stored_files_owner" ON "stored_files" USING btree ("owner_id");--> statement-breakpoint
-- Counters a crash may lose: no WAL for them (docs/decisions/024-shared-state-for-many-nodes.md).
ALTER TABLE "rate_limit_counters" SET UNLOGGED;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "rate_limit_counters" TO jobr_app;--> statement-breakpoint
-- A user's CV reads and stored files are theirs alone, like the rows that name them (system tasks see all).
-- The administrator check is written `(SELECT app_is_admin())`: evaluated once per statement (migration 0023).
ALTER TABLE "cv_parses" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "cv_parses" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY cv_parses_owner ON "cv_parses" FOR ALL TO jobr_app
    USING (user_id = app_user_id() OR (SELECT app_is_admin())) WITH CHECK (user_id = app_user_id() OR (SELECT app_is_admin()));--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "cv_parses" TO jobr_app;--> statement-breakpoint
ALTER TABLE "stored_files" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "stored_files" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY stored_files_owner ON "stored_files" FOR ALL TO jobr_app
    USING (owner_id = app_user_id() OR (SELECT app_is_admin())) WITH CHECK (owner_id = app_user_id() OR (SELECT app_is_admin()));--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "stored_files" TO jobr_app;--> statement-breakpoint
-- PDFs, Word files and ZIPs are compressed already: store them out of line without trying again.
ALTER TABLE "stored_files" ALTER COLUMN "bytes" SET STORAGE EXTERNAL;

CREATE TABLE "outbox_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel" varchar(10) NOT NULL,
	"recipient" varchar(320) NOT NULL,
	"subject" varchar(255) NOT NULL,
	"body" text NOT NULL,
	"status" varchar(10) DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbox_channel_valid" CHECK ("outbox_messages"."channel" IN ('email', 'sms')),
	CONSTRAINT "outbox_status_valid" CHECK ("outbox_messages"."status" IN ('pending', 'sent', 'stored', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "verification_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"purpose" varchar(20) NOT NULL,
	"channel" varchar(10) NOT NULL,
	"target" varchar(320) NOT NULL,
	"token_hash" varchar(64) NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vt_purpose_valid" CHECK ("verification_tokens"."purpose" IN ('verify_email', 'verify_phone', 'reset_password')),
	CONSTRAINT "vt_channel_valid" CHECK ("verification_tokens"."channel" IN ('email', 'sms')),
	CONSTRAINT "vt_attempts_non_negative" CHECK ("verification_tokens"."attempts" >= 0)
);
--> statement-breakpoint
ALTER TABLE "verification_tokens" ADD CONSTRAINT "verification_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_outbox_pending" ON "outbox_messages" USING btree ("next_attempt_at") WHERE "outbox_messages"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "idx_outbox_created_at" ON "outbox_messages" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "idx_vt_token_hash" ON "verification_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "idx_vt_user_purpose" ON "verification_tokens" USING btree ("user_id","purpose","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_vt_expires_at" ON "verification_tokens" USING btree ("expires_at");
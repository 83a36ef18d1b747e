ALTER TABLE "cover_letters" DROP CONSTRAINT "cover_letters_body_length";--> statement-breakpoint
ALTER TABLE "cover_letters" ALTER COLUMN "body" SET DEFAULT '';--> statement-breakpoint
ALTER TABLE "cover_letters" ADD COLUMN "status" varchar(10) DEFAULT 'ready' NOT NULL;--> statement-breakpoint
ALTER TABLE "cover_letters" ADD COLUMN "error" varchar(40);--> statement-breakpoint
ALTER TABLE "cover_letters" ADD CONSTRAINT "cover_letters_status_valid" CHECK ("cover_letters"."status" IN ('pending', 'ready', 'failed'));--> statement-breakpoint
ALTER TABLE "cover_letters" ADD CONSTRAINT "cover_letters_body_length" CHECK (LENGTH("cover_letters"."body") <= 20000 AND (LENGTH("cover_letters"."body") >= 1 OR "cover_letters"."status" <> 'ready'));--> statement-breakpoint
-- The queue of the cover-letter task (model-written letters), so a request can enqueue before any server
-- has started (tests, a fresh database); retries as in src/modules/match/cover-letter.task.ts.
SELECT pgboss.create_queue('cover-letter', '{"policy":"standard","retryLimit":3,"retryDelay":10,"retryBackoff":true}')
WHERE NOT EXISTS (SELECT 1 FROM pgboss.queue WHERE name = 'cover-letter');

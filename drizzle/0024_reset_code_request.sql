ALTER TABLE "verification_tokens" ADD COLUMN "request_hash" varchar(64);--> statement-breakpoint
-- Issue 11, item 12: a password-reset request only enqueues this task (its queue must exist before work is enqueued, decision 008).
SELECT pgboss.create_queue('password-reset', '{"policy":"standard","retryLimit":3,"retryDelay":30,"retryBackoff":true}') WHERE NOT EXISTS (SELECT 1 FROM pgboss.queue WHERE name = 'password-reset');

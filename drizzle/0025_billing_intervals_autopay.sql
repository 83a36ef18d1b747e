ALTER TABLE "billing_customers" ADD COLUMN "synced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "billing_interval" varchar(10) DEFAULT 'month' NOT NULL;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "billing_interval" varchar(10) DEFAULT 'month' NOT NULL;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "phonepe_subscription_id" varchar(64);--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_phonepe_subscription_id_key" UNIQUE("phonepe_subscription_id");--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_billing_interval_valid" CHECK ("payments"."billing_interval" IN ('month', 'year'));--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_billing_interval_valid" CHECK ("subscriptions"."billing_interval" IN ('month', 'year'));--> statement-breakpoint
-- The queues of the billing tasks added here (src/modules/billing/*.task.ts). Stripe re-reads coalesce per
-- customer: policy "short" keeps at most one waiting job per singleton key (docs/decisions/016-billing-sync.md).
SELECT pgboss.create_queue('billing-stripe-sync', '{"policy":"short","retryLimit":8,"retryDelay":30,"retryBackoff":true}')
WHERE NOT EXISTS (SELECT 1 FROM pgboss.queue WHERE name = 'billing-stripe-sync');
--> statement-breakpoint
SELECT pgboss.create_queue('billing-phonepe-renewals', '{"policy":"standard","retryLimit":0}')
WHERE NOT EXISTS (SELECT 1 FROM pgboss.queue WHERE name = 'billing-phonepe-renewals');

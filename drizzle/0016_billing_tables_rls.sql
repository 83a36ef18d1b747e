-- Custom SQL migration file, put your code below! --
-- Billing customers: the owner may read theirs; billing code writes them in the system context.
ALTER TABLE billing_customers ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE billing_customers FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY billing_customers_owner ON billing_customers FOR ALL TO jobr_app
    USING (user_id = app_user_id() OR app_is_admin()) WITH CHECK (app_is_admin());
--> statement-breakpoint
-- Processed provider events: only the system context (webhooks, re-sync) and administrators.
ALTER TABLE billing_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE billing_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY billing_events_admin ON billing_events FOR ALL TO jobr_app
    USING (app_is_admin()) WITH CHECK (app_is_admin());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON billing_customers, billing_events TO jobr_app;

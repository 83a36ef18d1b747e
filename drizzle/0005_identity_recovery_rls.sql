-- Verification secrets belong to their user; recovery flows that start before anyone is signed in
-- run in the explicit system context (app.is_admin), looking up one user by identifier.
ALTER TABLE verification_tokens ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE verification_tokens FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY verification_tokens_owner ON verification_tokens FOR ALL TO jobr_app
    USING (user_id = app_user_id() OR app_is_admin()) WITH CHECK (user_id = app_user_id() OR app_is_admin());
--> statement-breakpoint
-- Anyone may queue a message (it is written in the same transaction as the change that causes it);
-- only the system context reads, delivers or deletes them.
ALTER TABLE outbox_messages ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE outbox_messages FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY outbox_enqueue ON outbox_messages FOR INSERT TO jobr_app WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY outbox_system ON outbox_messages FOR ALL TO jobr_app USING (app_is_admin()) WITH CHECK (app_is_admin());

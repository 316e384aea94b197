-- Users page (admins manage users: disable, change role, reset password, every change recorded)
-- and session hygiene. These objects belong with the dashboard's users, which rollback keeps, so
-- rollback keeps them too; rollback does forget that this migration ran, hence every statement
-- here is idempotent (IF NOT EXISTS) and a later migrate re-runs it harmlessly.
ALTER TABLE "app_users" ADD COLUMN IF NOT EXISTS "disabled_at" timestamp with time zone;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "app_user_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" bigint REFERENCES "app_users"("id") ON DELETE SET NULL,
	-- kept as text too, so the record stays readable whatever happens to the row
	"user_email" text NOT NULL,
	"actor_user_id" bigint REFERENCES "app_users"("id") ON DELETE SET NULL,
	-- the admin's e-mail, or the command that made the change (npm start, user:create)
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "app_user_changes_action_check" CHECK ("action" in ('created', 'role_changed', 'disabled', 'enabled', 'password_reset'))
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "app_user_changes_user_idx" ON "app_user_changes" USING btree ("user_id", "id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "app_user_changes_changed_idx" ON "app_user_changes" USING btree ("changed_at", "id");
--> statement-breakpoint
-- purging expired sessions
CREATE INDEX IF NOT EXISTS "app_sessions_expires_idx" ON "app_sessions" USING btree ("expires_at");
--> statement-breakpoint
-- the sign-in lockout's per-client count (the per-e-mail one uses app_sign_in_attempts_email_idx)
CREATE INDEX IF NOT EXISTS "app_sign_in_attempts_client_idx" ON "app_sign_in_attempts" USING btree ("client", "attempted_at") WHERE NOT "succeeded";
--> statement-breakpoint
-- pruning old attempts
CREATE INDEX IF NOT EXISTS "app_sign_in_attempts_attempted_idx" ON "app_sign_in_attempts" USING btree ("attempted_at");

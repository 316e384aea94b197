CREATE TABLE "app_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "app_sign_in_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"client" text DEFAULT '' NOT NULL,
	"succeeded" boolean NOT NULL,
	"attempted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- trade_records belongs to the bot: create it only on a fresh database, and on an existing bot
-- database add just the columns the engine relies on (with their defaults), never touching rows.
CREATE TABLE IF NOT EXISTS "trade_records" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"symbol" text NOT NULL,
	"side" text NOT NULL,
	"size" numeric NOT NULL,
	"price" numeric NOT NULL,
	"fee_usd" numeric DEFAULT '0' NOT NULL,
	"order_time" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'filled' NOT NULL,
	"source" text DEFAULT 'bot' NOT NULL,
	"parent_id" bigint,
	"pnl_usd" numeric,
	"remaining_size" numeric
);
--> statement-breakpoint
ALTER TABLE "trade_records" ADD COLUMN IF NOT EXISTS "fee_usd" numeric DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "trade_records" ADD COLUMN IF NOT EXISTS "status" text DEFAULT 'filled' NOT NULL;--> statement-breakpoint
ALTER TABLE "trade_records" ADD COLUMN IF NOT EXISTS "source" text DEFAULT 'bot' NOT NULL;--> statement-breakpoint
ALTER TABLE "trade_records" ADD COLUMN IF NOT EXISTS "parent_id" bigint;--> statement-breakpoint
ALTER TABLE "trade_records" ADD COLUMN IF NOT EXISTS "pnl_usd" numeric;--> statement-breakpoint
ALTER TABLE "trade_records" ADD COLUMN IF NOT EXISTS "remaining_size" numeric;
--> statement-breakpoint
CREATE TABLE "app_users" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "app_users_role_check" CHECK ("app_users"."role" in ('viewer', 'reviewer', 'admin'))
);
--> statement-breakpoint
ALTER TABLE "app_sessions" ADD CONSTRAINT "app_sessions_user_id_app_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "app_sessions_user_idx" ON "app_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "app_sign_in_attempts_email_idx" ON "app_sign_in_attempts" USING btree ("email","attempted_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "trade_records_symbol_time_id_idx" ON "trade_records" USING btree ("symbol","order_time","id");--> statement-breakpoint
CREATE UNIQUE INDEX "app_users_email_key" ON "app_users" USING btree (lower("email"));
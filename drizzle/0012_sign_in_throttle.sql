-- Sign-in slowdown (issue 10, items 4 and 11). One row per bucket ("account|client" and
-- "client"): attempts are counted when they start, before any password hashing, under a row
-- lock, so a parallel burst cannot slip past the limit. Devices that signed in successfully get
-- their own bucket, so a stranger guessing an owner's password never slows the owner down.
CREATE TABLE IF NOT EXISTS "app_sign_in_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_attempt_at" timestamp with time zone NOT NULL,
	"blocked_until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "app_sign_in_throttle_last_idx" ON "app_sign_in_throttle" USING btree ("last_attempt_at");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "app_sign_in_devices" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "app_sign_in_devices_used_idx" ON "app_sign_in_devices" USING btree ("last_used_at");

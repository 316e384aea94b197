// Baseline (migration 0000): the bot's own table and the dashboard's users. Never rolled back.
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { at, id64, money, sql } from "./columns";

/** The bot's fills. Immutable facts: nothing of ours writes here (manual buys live in fifo_manual_trades, migration 0013). */
export const tradeRecords = pgTable(
  "trade_records",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    symbol: text("symbol").notNull(),
    side: text("side").notNull(),
    size: money("size").notNull(),
    price: money("price").notNull(),
    feeUsd: money("fee_usd").notNull().default("0"),
    orderTime: at("order_time").notNull(),
    status: text("status").notNull().default("filled"),
    source: text("source").notNull().default("bot"),
    parentId: id64("parent_id"),
    pnlUsd: money("pnl_usd"),
    remainingSize: money("remaining_size"),
  },
  // No check constraints here on purpose: this is the bot's table, and a bad row must be flagged
  // for review by a run rather than rejected on insert.
  (t) => [index("trade_records_symbol_time_id_idx").on(t.symbol, t.orderTime, t.id)],
);

export const ROLES = ["viewer", "reviewer", "admin"] as const;

export const users = pgTable(
  "app_users",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("app_users_email_key").on(sql`lower(${t.email})`),
    check("app_users_role_check", sql`${t.role} in ('viewer', 'reviewer', 'admin')`),
  ],
);

/** Server-side sessions: the cookie holds a random token, the table only its SHA-256. */
export const sessions = pgTable(
  "app_sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: id64("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: at("created_at").notNull().defaultNow(),
    expiresAt: at("expires_at").notNull(),
  },
  (t) => [index("app_sessions_user_idx").on(t.userId)],
);

/** Every sign-in attempt, so failures can be rate limited per e-mail address and per client. */
export const signInAttempts = pgTable(
  "app_sign_in_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    email: text("email").notNull(),
    client: text("client").notNull().default(""),
    succeeded: boolean("succeeded").notNull(),
    attemptedAt: at("attempted_at").notNull().defaultNow(),
  },
  (t) => [index("app_sign_in_attempts_email_idx").on(t.email, t.attemptedAt)],
);


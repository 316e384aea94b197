// Every table the project owns or relies on. Migrations in drizzle/ are generated from these files
// (drizzle-kit generate) and then reviewed; views and the historical snapshot are hand-written SQL
// in the FIFO migration because drizzle-kit cannot express them.
import type { allocations, computationLog, reviewQueue } from "./fifo";
import type { ROLES, tradeRecords, users } from "./baseline";

export * from "./baseline";
export * from "./fifo";
export * from "./methods";

export type TradeRecord = typeof tradeRecords.$inferSelect;
export type User = typeof users.$inferSelect;
export type ComputationRun = typeof computationLog.$inferSelect;
export type Allocation = typeof allocations.$inferSelect;
export type ReviewItem = typeof reviewQueue.$inferSelect;
export type Role = (typeof ROLES)[number];

import { sql } from "drizzle-orm";
import { bigint, numeric, timestamp } from "drizzle-orm/pg-core";

export const money = (name: string) => numeric(name);
export const at = (name: string) => timestamp(name, { withTimezone: true, mode: "string" });
export const id64 = (name: string) => bigint(name, { mode: "number" });
export { sql };

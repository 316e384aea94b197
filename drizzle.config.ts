import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: ["./db/schema/baseline.ts", "./db/schema/fifo.ts"],
  out: "./drizzle",
});

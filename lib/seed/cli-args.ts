// Arguments of `npm run db:seed`: parsed with node's parseArgs, checked with zod, and every
// problem turned into one sentence a user can act on.
import { parseArgs } from "node:util";
import { z } from "zod";
import { DEFAULT_SEED, DEFAULT_SYMBOLS } from "./generate";

export const MAX_TRADES = 50_000_000;
export const MAX_SYMBOLS = 1000;

export const SEED_USAGE = `Usage: npm run db:seed -- --trades N [--symbols K] [--seed S] [--append]

Loads a realistic, reproducible synthetic trade history into trade_records, including the old
system's (wrong) parent_id / pnl_usd / remaining_size values.

  --trades N    number of trades to generate (1 to ${MAX_TRADES.toLocaleString("en-US")}; 1_000_000 is fine)
  --symbols K   number of symbols (1 to ${MAX_SYMBOLS}, default ${DEFAULT_SYMBOLS})
  --seed S      random seed, 0 to 4294967295 (default ${DEFAULT_SEED}); same seed, same trades
  --append      add to a trade_records table that already has rows (refused otherwise)
  -h, --help    show this help

Uses DATABASE_URL, or the embedded database (PGLITE_DIR, default ./.data/pglite) when unset.
The database must be migrated first: npm run db:migrate`;

function wholeNumber(flag: string, min: number, max: number) {
  return z.string().transform((text, ctx) => {
    const digits = text.trim().replace(/[_,]/g, "");
    if (!/^\d+$/.test(digits)) {
      ctx.addIssue({ code: "custom", message: `--${flag} must be a whole number, got "${text}"` });
      return z.NEVER;
    }
    const value = Number(digits);
    if (value < min || value > max) {
      ctx.addIssue({
        code: "custom",
        message: `--${flag} must be between ${min.toLocaleString("en-US")} and ${max.toLocaleString("en-US")}, got ${text}`,
      });
      return z.NEVER;
    }
    return value;
  });
}

const SeedArgs = z.object({
  trades: wholeNumber("trades", 1, MAX_TRADES).optional(),
  symbols: wholeNumber("symbols", 1, MAX_SYMBOLS).default(DEFAULT_SYMBOLS),
  seed: wholeNumber("seed", 0, 0xffffffff).default(DEFAULT_SEED),
  append: z.boolean().default(false),
  help: z.boolean().default(false),
});

export interface SeedArgs {
  trades: number;
  symbols: number;
  seed: number;
  append: boolean;
}

export type ParsedSeedArgs = { kind: "seed"; args: SeedArgs } | { kind: "help" } | { kind: "error"; message: string };

export function parseSeedArgs(argv: readonly string[]): ParsedSeedArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        trades: { type: "string" },
        symbols: { type: "string" },
        seed: { type: "string" },
        append: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { kind: "error", message: (error as Error).message };
  }
  const parsed = SeedArgs.safeParse(values);
  if (!parsed.success) return { kind: "error", message: parsed.error.issues.map((i) => i.message).join("\n") };
  const { trades, symbols, seed, append, help } = parsed.data;
  if (help) return { kind: "help" };
  if (trades === undefined) return { kind: "error", message: "--trades N is required (how many trades to generate)" };
  return { kind: "seed", args: { trades, symbols, seed, append } };
}

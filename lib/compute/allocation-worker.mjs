// The entry of a full run's allocation worker threads (lib/compute/allocate-on-workers.ts). Node 20
// does not pass tsx's loader on to worker threads, so this plain module loads the TypeScript one.
import { tsImport } from "tsx/esm/api";

await tsImport("./allocation-worker.ts", import.meta.url);

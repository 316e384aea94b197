// PGlite has no lock of its own on its data directory, and two processes on one directory corrupt
// it. proper-lockfile takes the lock atomically (mkdir of `<dir>.lock`, which exactly one process
// can create) and keeps it fresh by touching it every few seconds; a lock nobody touched for 10 s
// was left by a process that died, wherever it ran (pids mean nothing across containers sharing a
// volume), and is taken over. Beside the lock, `<dir>.lock.owner.json` names the holder for the
// message a second process prints.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import lockfile from "proper-lockfile";

export interface LockOwner {
  pid: number;
  host: string;
  command: string;
  since: string;
}

export class EmbeddedDatabaseBusyError extends Error {
  constructor(dataDir: string, owner: LockOwner | null) {
    const who = owner
      ? `process ${owner.pid} on host ${owner.host} (${owner.command}, since ${owner.since})`
      : "another process (it is starting up)";
    super(
      `The embedded database at ${dataDir} is in use by ${who}. Stop that process first, start the ` +
        `work from the dashboard, or set DATABASE_URL to use a PostgreSQL server.`,
    );
    this.name = "EmbeddedDatabaseBusyError";
  }
}

const STALE_MS = 10_000;

function lockPaths(dataDir: string) {
  const base = path.join(path.dirname(path.resolve(dataDir)), path.basename(dataDir));
  return { lock: `${base}.lock`, owner: `${base}.lock.owner.json` };
}

export function readLockOwner(dataDir: string): LockOwner | null {
  try {
    return JSON.parse(fs.readFileSync(lockPaths(dataDir).owner, "utf8")) as LockOwner;
  } catch {
    return null;
  }
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Versions before this one wrote a plain file holding the owner's pid at the same path. */
function removeLegacyLock(lockPath: string, dataDir: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(lockPath);
  } catch {
    return;
  }
  if (!stat.isFile()) return;
  const pid = Number(fs.readFileSync(lockPath, "utf8"));
  if (processAlive(pid)) throw new EmbeddedDatabaseBusyError(dataDir, { pid, host: os.hostname(), command: "an older version", since: stat.mtime.toISOString() });
  fs.rmSync(lockPath, { force: true });
}

/** Takes the lock for this process; returns the function that releases it. */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const paths = lockPaths(dataDir);
  removeLegacyLock(paths.lock, dataDir);
  let unlock: () => void;
  try {
    unlock = lockfile.lockSync(dataDir, {
      lockfilePath: paths.lock,
      realpath: false,
      stale: STALE_MS,
      update: STALE_MS / 5,
      onCompromised: (error) => {
        // Someone removed or took our lock (a clock jump, a frozen process): writing on could
        // corrupt the database, so stop rather than share it.
        console.error(`Lost the lock on the embedded database at ${dataDir} (${error.message}); stopping.`);
        process.exit(70);
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOCKED") throw new EmbeddedDatabaseBusyError(dataDir, readLockOwner(dataDir));
    throw error;
  }
  const owner: LockOwner = {
    pid: process.pid,
    host: os.hostname(),
    command: path.basename(process.argv[1] ?? process.argv0),
    since: new Date().toISOString(),
  };
  const temp = `${paths.owner}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(owner));
  fs.renameSync(temp, paths.owner); // readers see the old holder or the new one, never half a file
  let released = false;
  return () => {
    if (released) return;
    released = true;
    try {
      unlock();
    } catch {
      // already released (process exit handler) or taken over
    }
  };
}

/**
 * lockDataDir for opening the database: a lock left by a process of this host that has ended
 * (killed, crashed) is waited out, since it goes stale STALE_MS after its last touch, instead of
 * refusing at once. A live holder, or one on another host, is refused at once as before.
 */
export async function lockDataDirWhenFree(dataDir: string, wait = (message: string) => console.error(message)): Promise<() => void> {
  const deadline = Date.now() + STALE_MS + 2_000;
  let told = false;
  for (;;) {
    try {
      return lockDataDir(dataDir);
    } catch (error) {
      const owner = readLockOwner(dataDir);
      const ended = owner !== null && owner.host === os.hostname() && !processAlive(owner.pid);
      if (!(error instanceof EmbeddedDatabaseBusyError) || !ended || Date.now() > deadline) throw error;
      if (!told) wait(`The embedded database's lock was left by process ${owner.pid}, which has ended; waiting up to ${STALE_MS / 1000} s for it to expire.`);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

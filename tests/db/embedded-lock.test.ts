// The embedded database's directory lock: exactly one process at a time, even when several start
// at the same instant; a clear message naming the holder; a lock left by a dead process (wherever
// it ran) is taken over once it is stale.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { EmbeddedDatabaseBusyError, lockDataDir, lockDataDirWhenFree } from "@/db/embedded-lock";

const root = path.resolve(import.meta.dirname, "..", "..");
const temp = fs.mkdtempSync(path.join(os.tmpdir(), "fifo-lock-"));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

function holder(dir: string, holdMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(root, "tests", "db", "fixtures", "lock-holder.ts"), dir, String(holdMs)],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", () => resolve(out.trim()));
  });
}

describe("the embedded database lock", () => {
  test("six processes starting at once: exactly one gets the directory, the others are told who holds it", async () => {
    const dir = path.join(temp, "race", "pglite");
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => holder(dir, 10_000)));
    expect(outcomes.filter((o) => o.startsWith("locked"))).toHaveLength(1);
    const refused = outcomes.filter((o) => o.startsWith("refused"));
    expect(refused).toHaveLength(5);
    for (const message of refused) expect(message).toMatch(new RegExp(`in use by (process \\d+ on host ${os.hostname()}|another process)`));
  }, 60_000);

  test("a second lock in a live holder's presence is refused with the holder's pid; released, it is free again", () => {
    const dir = path.join(temp, "same", "pglite");
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(EmbeddedDatabaseBusyError);
    expect(() => lockDataDir(dir)).toThrow(`in use by process ${process.pid} on host ${os.hostname()}`);
    release();
    const again = lockDataDir(dir);
    again();
  });

  test("a lock nobody kept fresh (its process died, maybe in another container) is taken over", () => {
    const dir = path.join(temp, "stale", "pglite");
    fs.mkdirSync(dir, { recursive: true });
    const lockDir = `${dir}.lock`;
    fs.mkdirSync(lockDir);
    fs.writeFileSync(`${lockDir}.owner.json`, JSON.stringify({ pid: 1, host: "gone", command: "x", since: "then" }));
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lockDir, old, old);
    const release = lockDataDir(dir);
    expect(JSON.parse(fs.readFileSync(`${lockDir}.owner.json`, "utf8")).pid).toBe(process.pid);
    release();
    expect(fs.existsSync(lockDir)).toBe(false);
  });

  test("opening after the holder was killed (kill -9) waits for its lock to expire instead of refusing", async () => {
    const dir = path.join(temp, "killed", "pglite");
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "tests", "db", "fixtures", "lock-holder.ts"), dir, "60000"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    await new Promise<void>((resolve) => child.stdout.on("data", (d: Buffer) => d.toString().includes("locked") && resolve()));
    // While it lives, it is refused at once.
    await expect(lockDataDirWhenFree(dir)).rejects.toThrow(`in use by process ${child.pid}`);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const messages: string[] = [];
    const started = Date.now();
    const release = await lockDataDirWhenFree(dir, (m) => messages.push(m));
    expect(messages).toEqual([expect.stringContaining(`left by process ${child.pid}, which has ended`)]);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(JSON.parse(fs.readFileSync(`${dir}.lock.owner.json`, "utf8")).pid).toBe(process.pid);
    release();
  }, 60_000);

  test("the plain pid file of an older version is replaced when its process is gone", () => {
    const dir = path.join(temp, "legacy", "pglite");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(`${dir}.lock`, "999999999");
    const release = lockDataDir(dir);
    expect(fs.statSync(`${dir}.lock`).isDirectory()).toBe(true);
    release();
  });
});

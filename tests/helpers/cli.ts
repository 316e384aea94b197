// Runs one of the project's npm CLI scripts in a child process, as a user would.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const root = path.resolve(import.meta.dirname, "..", "..");

export function runScript(
  script: string,
  args: string[],
  options: { env?: Record<string, string | undefined>; stdin?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts", script), ...args], {
      cwd: root,
      env: env as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? "");
  });
}

/** Starts a script without waiting: for tests that watch its output and kill it half-way. */
export function startScript(script: string, args: string[], options: { env?: Record<string, string | undefined> } = {}) {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", path.join(root, "scripts", script), ...args],
    // Its own process group: kill -9 must reach anything the script started too.
    { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  const output = { stdout: "", stderr: "" };
  child.stdout!.on("data", (d) => (output.stdout += d));
  child.stderr!.on("data", (d) => (output.stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return {
    child,
    output,
    exited,
    /** kill -9 of the script and everything it started, as a crash or an OOM kill would do. */
    killHard(): void {
      process.kill(-child.pid!, "SIGKILL");
    },
    /** Resolves once the combined output matches, or rejects when the script ends first. */
    async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output.stdout + output.stderr)) {
        if (child.exitCode !== null) throw new Error(`script ended before ${pattern}: ${output.stderr}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}: ${output.stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

// How sign-in attempts are slowed down: pure rules, no I/O (db/sign-in-throttle.ts applies them
// under a row lock). Every attempt counts when it starts, before the password is hashed; a
// bucket's first `free` attempts in a window go through at once, after that each attempt must
// wait twice as long as the one before, up to `maxDelaySeconds`. Nobody is locked out: an owner
// waits at most the cap, and an owner on a device that signed in before has a bucket of its own.

export interface BucketRule {
  /** attempts within the window that need no wait */
  free: number;
  maxDelaySeconds: number;
}

export const SIGN_IN_WINDOW_SECONDS = 15 * 60;

export const SIGN_IN_RULES = {
  /** one e-mail address from one client (IP address, or a device that signed in before) */
  account: { free: 5, maxDelaySeconds: 5 * 60 },
  /** one client, whatever the e-mail (guessing many addresses) */
  client: { free: 20, maxDelaySeconds: 15 * 60 },
} as const satisfies Record<string, BucketRule>;

export interface BucketState {
  attempts: number;
  lastAttemptAt: Date;
  blockedUntil: Date;
}

/** Seconds to wait before this bucket takes another attempt (0 = now). */
export function waitSeconds(state: BucketState | null, now: Date): number {
  if (!state) return 0;
  return Math.max(0, Math.ceil((state.blockedUntil.getTime() - now.getTime()) / 1000));
}

/** The bucket after one more attempt starts now. Attempts older than the window are forgotten. */
export function afterAttempt(state: BucketState | null, rule: BucketRule, now: Date): BucketState {
  const expired = !state || now.getTime() - state.lastAttemptAt.getTime() > SIGN_IN_WINDOW_SECONDS * 1000;
  const attempts = (expired ? 0 : state.attempts) + 1;
  return { attempts, lastAttemptAt: now, blockedUntil: new Date(now.getTime() + delaySeconds(attempts, rule) * 1000) };
}

/** The wait after the n-th attempt: none for the free ones, then 1 s, 2 s, 4 s, ... up to the cap. */
export function delaySeconds(attempts: number, rule: BucketRule): number {
  if (attempts < rule.free) return 0;
  return Math.min(2 ** (attempts - rule.free), rule.maxDelaySeconds);
}

export function tooManyAttemptsMessage(seconds: number): string {
  if (seconds < 90) return `Too many attempts, try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
  const minutes = Math.ceil(seconds / 60);
  return `Too many attempts, try again in ${minutes} minutes.`;
}

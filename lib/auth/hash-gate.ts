// At most a few password checks in flight per server process. The native bcrypt runs on libuv's
// thread pool (4 threads by default), which file and DNS work share: a flood that got past the
// database buckets (many distinct trusted clients) waits here briefly or is turned away, instead
// of queueing without bound.

export const MAX_HASHES_IN_FLIGHT = 4;
export const MAX_HASHES_WAITING = 32;

let inFlight = 0;
const waiting: (() => void)[] = [];

export class SignInBusyError extends Error {
  constructor() {
    super("Sign-in is busy right now; try again in a moment.");
  }
}

/** Runs `check` when a slot is free; throws SignInBusyError when too many already wait. */
export async function withHashSlot<T>(check: () => Promise<T>): Promise<T> {
  if (inFlight >= MAX_HASHES_IN_FLIGHT) {
    if (waiting.length >= MAX_HASHES_WAITING) throw new SignInBusyError();
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else inFlight++;
  try {
    return await check();
  } finally {
    const next = waiting.shift();
    if (next) next(); // hand the slot over
    else inFlight--;
  }
}

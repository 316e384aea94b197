// What the mocked next/headers, next/cache and next/navigation (tests/setup/next-mocks.ts) see and
// record, shared through globalThis so setup file, helpers and tests read the same state.

export interface MockCookie {
  name: string;
  value: string;
  options?: Record<string, unknown>;
}

export interface NextMockState {
  /** The request's cookie jar (what cookies() returns and sets). */
  cookies: Map<string, MockCookie>;
  /** The request's headers (what headers() returns). */
  headers: Headers;
  /** revalidatePath / revalidateTag / updateTag / refresh calls, in order. */
  revalidated: { kind: "path" | "tag" | "updateTag" | "refresh"; target?: string; type?: string }[];
}

const holder = globalThis as typeof globalThis & { __nextMockState?: NextMockState };

export function nextMockState(): NextMockState {
  holder.__nextMockState ??= { cookies: new Map(), headers: defaultHeaders(), revalidated: [] };
  return holder.__nextMockState;
}

function defaultHeaders(): Headers {
  return new Headers({ host: "127.0.0.1:3000", "x-forwarded-proto": "http", "x-forwarded-for": "127.0.0.1" });
}

/** Empties the cookie jar, restores default headers, forgets recorded revalidations. */
export function resetNextMocks(): void {
  const state = nextMockState();
  state.cookies.clear();
  state.headers = defaultHeaders();
  state.revalidated.length = 0;
}

/** Paths passed to revalidatePath since the last reset. */
export function revalidatedPaths(): string[] {
  return nextMockState()
    .revalidated.filter((r) => r.kind === "path")
    .map((r) => r.target!);
}

/** Sets a request header (e.g. x-fifo-path, x-forwarded-for) for the code under test. */
export function setRequestHeader(name: string, value: string): void {
  nextMockState().headers.set(name, value);
}

/** The error redirect()/notFound()/forbidden() throw in tests; match with expect(...).rejects. */
export class NextNavigationError extends Error {
  constructor(
    public kind: "redirect" | "notFound" | "forbidden" | "unauthorized",
    public url: string | undefined,
    public digest: string,
  ) {
    super(kind === "redirect" ? `NEXT_REDIRECT ${url}` : `NEXT_${kind}`);
    this.name = "NextNavigationError";
  }
}

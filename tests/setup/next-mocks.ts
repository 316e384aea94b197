// Lets server actions, pages' data functions and guards run in Vitest against a real database:
// next/headers gets an in-memory cookie jar and request headers, next/cache records
// revalidations, next/navigation's redirect()/notFound()/forbidden() throw NextNavigationError.
// State lives in tests/helpers/next-state.ts: the cookie jar and headers are reset once per test
// file (so a signInAs() in beforeAll holds for the whole file), the revalidation log before every test.
import { beforeAll, beforeEach, vi } from "vitest";
import { nextMockState, NextNavigationError, resetNextMocks, type MockCookie } from "../helpers/next-state";

// Cheap bcrypt for everything hashed in tests (users, the unknown-e-mail dummy hash, CLI children).
process.env.BCRYPT_COST ??= "4";

vi.mock("next/headers", () => {
  const jar = {
    get(name: string) {
      const c = nextMockState().cookies.get(name);
      return c ? { name: c.name, value: c.value } : undefined;
    },
    getAll(name?: string) {
      return [...nextMockState().cookies.values()]
        .filter((c) => name === undefined || c.name === name)
        .map((c) => ({ name: c.name, value: c.value }));
    },
    has(name: string) {
      return nextMockState().cookies.has(name);
    },
    set(nameOrCookie: string | MockCookie & Record<string, unknown>, value?: string, options?: Record<string, unknown>) {
      const cookie =
        typeof nameOrCookie === "string"
          ? { name: nameOrCookie, value: value ?? "", options }
          : { name: nameOrCookie.name, value: nameOrCookie.value, options: nameOrCookie };
      nextMockState().cookies.set(cookie.name, cookie);
      return jar;
    },
    delete(name: string | { name: string }) {
      nextMockState().cookies.delete(typeof name === "string" ? name : name.name);
      return jar;
    },
    get size() {
      return nextMockState().cookies.size;
    },
    toString() {
      return [...nextMockState().cookies.values()].map((c) => `${c.name}=${encodeURIComponent(c.value)}`).join("; ");
    },
  };
  return {
    cookies: async () => jar,
    headers: async () => nextMockState().headers,
    draftMode: async () => ({ isEnabled: false, enable() {}, disable() {} }),
  };
});

vi.mock("next/cache", () => {
  const record = (entry: NextMockStateEntry) => void nextMockState().revalidated.push(entry);
  return {
    revalidatePath: (path: string, type?: string) => record({ kind: "path", target: path, type }),
    revalidateTag: (tag: string, profile?: unknown) => record({ kind: "tag", target: tag, type: typeof profile === "string" ? profile : undefined }),
    updateTag: (tag: string) => record({ kind: "updateTag", target: tag }),
    refresh: () => record({ kind: "refresh" }),
    unstable_cache: <F extends (...args: never[]) => unknown>(fn: F) => fn,
    unstable_noStore: () => {},
    cacheLife: () => {},
    cacheTag: () => {},
  };
});
type NextMockStateEntry = ReturnType<typeof nextMockState>["revalidated"][number];

vi.mock("next/navigation", async (importOriginal) => {
  const original = await importOriginal<Record<string, unknown>>();
  const redirect = (url: string, type = "replace"): never => {
    throw new NextNavigationError("redirect", url, `NEXT_REDIRECT;${type};${url};307;`);
  };
  return {
    ...original,
    redirect,
    permanentRedirect: (url: string, type = "replace"): never => {
      throw new NextNavigationError("redirect", url, `NEXT_REDIRECT;${type};${url};308;`);
    },
    notFound: (): never => {
      throw new NextNavigationError("notFound", undefined, "NEXT_HTTP_ERROR_FALLBACK;404");
    },
    forbidden: (): never => {
      throw new NextNavigationError("forbidden", undefined, "NEXT_HTTP_ERROR_FALLBACK;403");
    },
    unauthorized: (): never => {
      throw new NextNavigationError("unauthorized", undefined, "NEXT_HTTP_ERROR_FALLBACK;401");
    },
    unstable_rethrow: (error: unknown) => {
      if (error instanceof NextNavigationError) throw error;
    },
  };
});

beforeAll(() => {
  resetNextMocks();
});

beforeEach(() => {
  nextMockState().revalidated.length = 0;
});

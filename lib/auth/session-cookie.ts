/** The session cookie's name; a module of its own so proxy.ts and the page server import no server code. */
export const SESSION_COOKIE = "fifo_session";

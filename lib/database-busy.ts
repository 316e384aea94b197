// Shared by the database client (which tags "no answer in time" errors with this digest) and the
// dashboard's error page (a client component that must not import the database code).
export const DATABASE_BUSY_DIGEST = "FIFO_DATABASE_BUSY";

export const DATABASE_BUSY_MESSAGE = "The database is busy right now. Nothing was lost; try again in a moment.";

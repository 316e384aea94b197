// What a run's errors say to whom. A failed run's message is often raw database or driver text
// (table and constraint names, SQL fragments, host names): admins see it as it is; viewers and
// reviewers see our own messages (cancelled, stale) and a summary for anything else.

export const RUN_ERROR_SUMMARY = "The run stopped on an error; nothing it computed was kept. An admin can see the details.";

const OWN_MESSAGES = [/^cancelled\b/i, /^stale:/i];

export function runErrorForRole(message: string, isAdmin: boolean): string {
  if (isAdmin) return message;
  return OWN_MESSAGES.some((pattern) => pattern.test(message)) ? message : RUN_ERROR_SUMMARY;
}

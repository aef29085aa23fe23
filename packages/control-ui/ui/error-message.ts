/** What to show the user for a failed call: the server's (or client's) message, which names the fix. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

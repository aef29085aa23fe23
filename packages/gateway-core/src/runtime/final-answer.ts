/**
 * OpenClaw answers some requests twice on the same request id: first an acknowledgement (`status: "accepted"`),
 * then the final result once the work is done (its `agent` method; its clients wait for the second with
 * `expectFinal`). A handler marks its first answer with the promise of the final one; the WebSocket connection sends
 * that as a second response. Clients that read only the first response drop the second (its id is no longer
 * pending), which is how OpenClaw's own clients behave too.
 */
const finalAnswers = new WeakMap<object, Promise<unknown>>();

export function withFinalAnswer<T extends object>(first: T, final: Promise<unknown>): T {
  // A final answer nobody sends (an HTTP call, a closed socket) must not become an unhandled rejection.
  final.catch(() => undefined);
  finalAnswers.set(first, final);
  return first;
}

/** The final answer promised by a handler's first answer, if it promised one. */
export function finalAnswerOf(first: unknown): Promise<unknown> | undefined {
  return first !== null && typeof first === "object" ? finalAnswers.get(first) : undefined;
}

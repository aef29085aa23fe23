import type { ChatTurnRequest } from "../chat/chat-service.js";
import type { ChatStarter } from "./inbound-types.js";

/** What the agent reports for a run its (dead) instance never finished: the transcript holds no answer. */
const INTERRUPTED = "RUN_INTERRUPTED";

/**
 * The turn of a message replayed from the inbound journal after a takeover. It starts with the message's own
 * idempotency key: when the dead owner's run had answered (only the reply was not sent), the transcript's answer
 * is delivered and nothing runs twice. When that run was cut off before answering, it runs once more under a
 * takeover key, so the sender gets an answer instead of an "interrupted" apology.
 */
export function takeoverTurn(chat: ChatStarter, request: ChatTurnRequest): ReturnType<ChatStarter["start"]> {
  const first = chat.start(request);
  return {
    ...first,
    done: first.done.then((result) => {
      if (result.status !== "error" || result.error?.code !== INTERRUPTED) return result;
      return chat.start({ ...request, idempotencyKey: `${request.idempotencyKey ?? ""}:takeover` }).done;
    }),
  };
}

import type { ChatTurnRequest } from "../chat/chat-service.js";
import type { ChatStarter } from "./inbound-types.js";

/**
 * What the agent reports for a key whose recorded run never answered: cut off by a dead instance
 * (`RUN_INTERRUPTED`: the transcript holds no answer), or ended early by one that stopped (`RUN_FAILED`: its
 * answer is marked as an error, e.g. a graceful stop whose drain timed out aborted it).
 */
const UNANSWERED = new Set(["RUN_INTERRUPTED", "RUN_FAILED"]);

/**
 * The turn of a message replayed from the inbound journal after a takeover. It starts with the message's own
 * idempotency key: when the previous owner's run had answered (only the reply was not sent), the transcript's answer
 * is delivered and nothing runs twice. When that run was cut off or ended early, it runs once more under a takeover
 * key, so the sender gets an answer instead of an "interrupted" apology.
 */
export function takeoverTurn(chat: ChatStarter, request: ChatTurnRequest): ReturnType<ChatStarter["start"]> {
  const first = chat.start(request);
  return {
    ...first,
    done: first.done.then((result) => {
      if (result.status !== "error" || !UNANSWERED.has(result.error?.code ?? "")) return result;
      return chat.start({ ...request, idempotencyKey: `${request.idempotencyKey ?? ""}:takeover` }).done;
    }),
  };
}

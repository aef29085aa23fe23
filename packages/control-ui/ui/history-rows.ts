import type { ChatHistoryMessage } from "@openclaw/protocol";
import type { HistoryMessageLike } from "./chat-transcript.js";

/**
 * `chat.history` messages (OpenClaw's shape: content blocks, `toolCall` blocks in assistant messages answered by
 * `toolResult` messages) as the rows the transcript builds its entries from: one `tool` row per call, carrying its
 * arguments and, once answered, its result. A result whose call fell outside the page stands alone.
 */
export function historyRowsOf(messages: readonly ChatHistoryMessage[]): HistoryMessageLike[] {
  const rows: HistoryMessageLike[] = [];
  const callRows = new Map<string, HistoryMessageLike>();
  for (const message of messages) {
    const runId = message.__openclaw.runId;
    const withRun = <T extends object>(row: T): T & { runId?: string } =>
      runId === undefined ? row : { ...row, runId };
    if (message.role === "toolResult") {
      const result = textOf(message);
      const call = message.toolCallId === undefined ? undefined : callRows.get(message.toolCallId);
      if (call !== undefined) {
        call.result = result;
        if (message.isError === true) call.isError = true;
        continue;
      }
      rows.push(
        withRun({
          role: "tool",
          text: "",
          toolCallId: message.toolCallId ?? "",
          toolName: message.toolName ?? "tool",
          result,
          ...(message.isError === true ? { isError: true } : {}),
        }),
      );
      continue;
    }
    for (const block of message.content) {
      if (block.type !== "toolCall") continue;
      const row = withRun({
        role: "tool",
        text: "",
        toolCallId: block.id,
        toolName: block.name,
        args: block.arguments,
      });
      callRows.set(block.id, row);
      rows.push(row);
    }
    const text = textOf(message);
    const onlyCalls =
      message.content.length > 0 && message.content.every((block) => block.type === "toolCall");
    if (onlyCalls) continue;
    rows.push(withRun({ role: message.role, text, ...(message.media ? { media: message.media } : {}) }));
  }
  return rows;
}

function textOf(message: ChatHistoryMessage): string {
  return message.content.flatMap((block) => (block.type === "text" ? [block.text] : [])).join("\n");
}

/** The acknowledgments that mean "nothing needs attention": OpenClaw's legacy token and its current one. */
const ACK_TOKENS = ["HEARTBEAT_OK", "NO_REPLY"];

export type HeartbeatReply =
  | { kind: "ok-empty" }
  | { kind: "ok-token" }
  /** Something to tell the user: the reply without any acknowledgment around it. */
  | { kind: "alert"; text: string };

/** Markdown emphasis or code ticks a model likes to wrap the token in. */
const WRAPPING = /^[*_`~\s]+|[*_`~\s.!]+$/g;

function stripToken(text: string): string | undefined {
  for (const token of ACK_TOKENS) {
    const head = new RegExp(`^[*_\`~\\s]*${token}[*_\`~\\s.!:,-]*`, "i");
    const tail = new RegExp(`[\\s:,-]*[*_\`~]*${token}[*_\`~\\s.!]*$`, "i");
    if (head.test(text)) return text.replace(head, "").trim();
    if (tail.test(text)) return text.replace(tail, "").trim();
  }
  return undefined;
}

/**
 * What a heartbeat turn's answer amounts to. An acknowledgment at the start or the end with at most `ackMaxChars`
 * of other text is an OK and is not delivered; one in the middle of a reply is not special (as in OpenClaw).
 */
export function classifyHeartbeatReply(text: string, ackMaxChars: number): HeartbeatReply {
  const trimmed = text.trim();
  if (trimmed.replace(WRAPPING, "") === "") return { kind: "ok-empty" };
  const rest = stripToken(trimmed);
  if (rest === undefined) return { kind: "alert", text: trimmed };
  if (rest.replace(WRAPPING, "").length <= ackMaxChars) return { kind: "ok-token" };
  return { kind: "alert", text: rest };
}

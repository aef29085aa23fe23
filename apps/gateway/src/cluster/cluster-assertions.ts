import type { GatewayClient } from "@openclaw/client";

/** The text of a chat.history message or a chat event's message: OpenClaw's content blocks, joined. */
export function messageText(message: unknown): string {
  const record = message as { content?: unknown; text?: unknown } | null;
  if (typeof record?.text === "string") return record.text;
  const content = Array.isArray(record?.content) ? record.content : [];
  return content
    .filter((block) => block?.type === "text" && typeof block.text === "string")
    .map((block) => block.text as string)
    .join("");
}

/** A session's transcript as `role: text` lines, oldest first. */
export async function transcript(client: GatewayClient, sessionKey: string): Promise<string[]> {
  const history = await client.request("chat.history", { sessionKey, limit: 1000 });
  return history.messages.map((message) => `${message.role}: ${messageText(message)}`);
}

/** What `health` and `status` say of the cluster (absent when the gateway runs alone). */
export interface ClusterView {
  instanceId: string;
  storage: "ok" | "unavailable";
  instances: Array<{ instanceId: string; alive: boolean; self: boolean; address?: string }>;
}

/** The instance ids a `health` or `status` answer lists as alive, sorted. */
export function aliveMembers(answer: { cluster?: ClusterView }): string[] {
  return (answer.cluster?.instances ?? [])
    .filter((instance) => instance.alive)
    .map((instance) => instance.instanceId)
    .sort();
}

/** "CODE: message" of the error a call rejects with, or "ok" when it succeeded. */
export async function outcomeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "ok";
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return `${typeof code === "string" ? code : "NO_CODE"}: ${(error as Error).message}`;
  }
}

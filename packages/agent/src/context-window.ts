import type { ModelMessage, UserContent } from "ai";
import { earlierMediaNotes, type ModelImage } from "./attachment-content.js";
import type { TranscriptEntry } from "./types.js";

export const DEFAULT_CONTEXT_WINDOW = 128_000;
const CHARS_PER_TOKEN = 4;
const MESSAGE_OVERHEAD_TOKENS = 4;
/**
 * What one image costs, whatever its bytes: providers scale images down to a tile budget (Anthropic ~1,600 tokens
 * at most, OpenAI's high detail ~1,100 for a square), so its base64 length says nothing about its tokens.
 */
export const IMAGE_TOKENS = 1_600;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN) + MESSAGE_OVERHEAD_TOKENS;
}

export interface ContextInput {
  history: TranscriptEntry[];
  systemPrompt: string;
  message: string;
  /** Images of the new message, for a model that sees them. */
  images?: ModelImage[];
  contextWindow: number;
  maxOutputTokens: number | undefined;
}

export interface BuiltContext {
  system: string | undefined;
  messages: ModelMessage[];
  droppedTurns: number;
}

type Turn = ModelMessage[];

/**
 * Tool calls of earlier runs are left out: the assistant's answer already carries what they found, and replaying
 * them would need the provider-specific pairing of calls and results.
 */
function toTurns(history: TranscriptEntry[]): { turns: Turn[]; notes: string[] } {
  const turns: Turn[] = [];
  const notes: string[] = [];
  for (const entry of history) {
    if (entry.role === "summary" || entry.role === "system") {
      if (entry.text !== "") notes.push(entry.text);
      continue;
    }
    if (entry.role === "tool") continue;
    if (entry.role === "user") {
      const text = [entry.text, ...earlierMediaNotes(entry.media)].filter((s) => s !== "").join("\n");
      if (text === "") continue;
      const last = turns.at(-1);
      // Consecutive user messages (a collected batch) belong to one turn.
      if (last?.every((m) => m.role === "user")) last.push({ role: "user", content: text });
      else turns.push([{ role: "user", content: text }]);
      continue;
    }
    if (entry.text === "") continue;
    const last = turns.at(-1);
    if (last) last.push({ role: "assistant", content: entry.text });
    else turns.push([{ role: "assistant", content: entry.text }]);
  }
  return { turns, notes };
}

function turnTokens(turn: Turn): number {
  return turn.reduce((sum, m) => sum + estimateTokens(typeof m.content === "string" ? m.content : ""), 0);
}

function truncateToTokens(text: string, tokens: number): string {
  const keep = Math.max(0, tokens * CHARS_PER_TOKEN);
  if (text.length <= keep) return text;
  const note = `\n[message truncated: ${text.length - keep} characters did not fit the context window]`;
  return text.slice(0, Math.max(0, keep - note.length)) + note;
}

/** Keeps the system prompt and the new message, then as many of the newest turns as the window allows. */
export function buildContext(input: ContextInput): BuiltContext {
  const { turns, notes } = toTurns(input.history);
  const reserve = Math.min(input.maxOutputTokens ?? 4_096, Math.floor(input.contextWindow / 4));
  const noteBudget = "[0000000 earlier turns were dropped to fit the context window]";
  const baseSystem = [input.systemPrompt, ...notes].filter((s) => s !== "").join("\n\n");
  const images = input.images ?? [];
  let budget =
    input.contextWindow -
    reserve -
    estimateTokens(baseSystem) -
    estimateTokens(noteBudget) -
    images.length * IMAGE_TOKENS;
  const message = truncateToTokens(input.message, Math.max(1, budget - MESSAGE_OVERHEAD_TOKENS));
  budget -= estimateTokens(message);

  const kept: Turn[] = [];
  for (let i = turns.length - 1; i >= 0; i--) {
    const turn = turns[i] as Turn;
    const cost = turnTokens(turn);
    if (cost > budget) break;
    budget -= cost;
    kept.unshift(turn);
  }
  // Providers expect the conversation to open with the user.
  while (kept[0]?.[0]?.role === "assistant") kept.shift();
  const droppedTurns = turns.length - kept.length;
  const droppedNote =
    droppedTurns > 0
      ? `[${droppedTurns} earlier turn${droppedTurns === 1 ? " was" : "s were"} dropped to fit the context window]`
      : "";
  const system = [baseSystem, droppedNote].filter((s) => s !== "").join("\n\n");
  return {
    system: system === "" ? undefined : system,
    messages: [...kept.flat(), { role: "user", content: userContent(message, images) }],
    droppedTurns,
  };
}

/** A plain string without images; with them, the text (when there is any) followed by one image part each. */
function userContent(message: string, images: ModelImage[]): UserContent {
  if (images.length === 0) return message;
  const parts: Exclude<UserContent, string> = message === "" ? [] : [{ type: "text", text: message }];
  for (const image of images) parts.push({ type: "image", image: image.image, mediaType: image.mediaType });
  return parts;
}

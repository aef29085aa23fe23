export type FakeApi = "openai-completions" | "openai-responses" | "anthropic-messages";

export interface FakeToolCall {
  id?: string;
  name: string;
  arguments: Record<string, unknown>;
}

export interface FakeReply {
  /** Assistant text; streamed split into `chunks` if given, else into roughly word-sized pieces. */
  text?: string;
  chunks?: string[];
  /** The model asks for these tools (finish_reason `tool_calls` / stop_reason `tool_use`). */
  toolCalls?: FakeToolCall[];
  /** Default: rough counts (about four characters a token) from the request and the reply. */
  usage?: { inputTokens: number; outputTokens: number };
  /** Answer with this HTTP error, in the provider's error JSON shape, instead of a completion. */
  status?: number;
  /** Adds a `Retry-After` header (meant for status 429). */
  retryAfterSeconds?: number;
  /** Wait before sending the response headers. */
  delayMs?: number;
  /** Wait between streamed events. */
  chunkDelayMs?: number;
  /** Send the headers and the content (when streaming) but never finish the response. */
  hang?: boolean;
}

export interface RecordedRequest {
  api: FakeApi;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (typed as `JSON.parse` types it), or the raw text when it was not JSON. */
  body: ReturnType<typeof JSON.parse>;
  model: string;
  stream: boolean;
  receivedAt: number;
}

/** A reply with every default filled in, ready for a provider renderer. */
export interface ResolvedReply {
  text: string;
  chunks: string[];
  toolCalls: Array<{ id: string | undefined; name: string; argumentsJson: string }>;
  usage: { inputTokens: number; outputTokens: number };
}

const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / CHARS_PER_TOKEN));
}

/** Word-sized pieces that keep their trailing whitespace, so joining them gives the text back. */
export function splitIntoWords(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}

const ARGUMENT_PIECE_LENGTH = 8;

/** Providers stream tool arguments as arbitrary JSON fragments; fixed-size pieces exercise the client's accumulation. */
export function splitArguments(json: string): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < json.length; i += ARGUMENT_PIECE_LENGTH)
    pieces.push(json.slice(i, i + ARGUMENT_PIECE_LENGTH));
  return pieces;
}

export function resolveReply(reply: FakeReply, request: RecordedRequest): ResolvedReply {
  const text = reply.text ?? reply.chunks?.join("") ?? "";
  const toolCalls = (reply.toolCalls ?? []).map((call) => ({
    id: call.id,
    name: call.name,
    argumentsJson: JSON.stringify(call.arguments ?? {}),
  }));
  const outputChars = text + toolCalls.map((call) => call.name + call.argumentsJson).join("");
  const usage = reply.usage ?? {
    inputTokens: estimateTokens(
      typeof request.body === "string" ? request.body : JSON.stringify(request.body ?? ""),
    ),
    outputTokens: estimateTokens(outputChars),
  };
  return { text, chunks: reply.chunks ?? splitIntoWords(text), toolCalls, usage };
}

/** The text of the last user turn, in any of the three request shapes; "" when there is none. */
export function lastUserText(request: RecordedRequest): string {
  const body = request.body;
  if (body === null || typeof body !== "object") return "";
  if (request.api === "openai-responses" && typeof body.input === "string") return body.input;
  const turns: unknown[] = Array.isArray(body.messages)
    ? body.messages
    : Array.isArray(body.input)
      ? body.input
      : [];
  for (let i = turns.length - 1; i >= 0; i--) {
    const turn = turns[i] as { role?: unknown; content?: unknown } | null;
    if (turn?.role !== "user") continue;
    const text = textOf(turn.content);
    if (text !== undefined) return text;
  }
  return "";
}

function textOf(content: unknown): string | undefined {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return undefined;
  const texts = content
    .filter(
      (part): part is { text: string } =>
        part !== null &&
        typeof part === "object" &&
        ["text", "input_text"].includes((part as { type?: unknown }).type as string) &&
        typeof (part as { text?: unknown }).text === "string",
    )
    .map((part) => part.text);
  return texts.length > 0 ? texts.join("\n") : undefined;
}

import type { RecordedRequest } from "./fake-reply.js";

/** An image a provider received in a user message, whatever the API's shape for it. */
export interface RecordedImage {
  /** `image/png`, ... as the request declared it. */
  mediaType: string;
  /** The image's bytes as base64 (from a data URL or a base64 source), or undefined when it was sent by URL. */
  base64: string | undefined;
  /** The URL when the image was referenced rather than inlined. */
  url: string | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function fromUrl(url: string): RecordedImage {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (match) return { mediaType: match[1] as string, base64: match[2], url: undefined };
  return { mediaType: "", base64: undefined, url };
}

/** One content part as an image, for the three wire shapes (Chat Completions, Responses, Anthropic Messages). */
function imageOf(part: unknown): RecordedImage | undefined {
  if (!isRecord(part)) return undefined;
  if (part.type === "image_url") {
    const imageUrl = part.image_url;
    const url = typeof imageUrl === "string" ? imageUrl : isRecord(imageUrl) ? imageUrl.url : undefined;
    return typeof url === "string" ? fromUrl(url) : undefined;
  }
  if (part.type === "input_image" && typeof part.image_url === "string") return fromUrl(part.image_url);
  if (part.type === "image" && isRecord(part.source)) {
    const source = part.source;
    if (source.type === "base64" && typeof source.data === "string") {
      return { mediaType: String(source.media_type ?? ""), base64: source.data, url: undefined };
    }
    if (source.type === "url" && typeof source.url === "string") return fromUrl(source.url);
  }
  return undefined;
}

/**
 * The images in a recorded request's user messages, oldest first (`lastOnly`: only the last user message's).
 * Lets a test check that a photo reached the model as an image part and not as text.
 */
export function userImages(request: RecordedRequest, options: { lastOnly?: boolean } = {}): RecordedImage[] {
  const body = request.body;
  if (!isRecord(body)) return [];
  const turns: unknown[] = Array.isArray(body.messages)
    ? body.messages
    : Array.isArray(body.input)
      ? body.input
      : [];
  const userTurns = turns.filter((turn) => isRecord(turn) && turn.role === "user") as Record<
    string,
    unknown
  >[];
  const chosen = options.lastOnly ? userTurns.slice(-1) : userTurns;
  return chosen.flatMap((turn) =>
    Array.isArray(turn.content)
      ? turn.content.map(imageOf).filter((image): image is RecordedImage => image !== undefined)
      : [],
  );
}

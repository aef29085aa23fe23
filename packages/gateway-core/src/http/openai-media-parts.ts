import { OpenAiHttpError } from "./openai-http-support.js";

/** A media part of the user's message, before it is decoded or fetched. */
export interface OpenAiMediaPart {
  /** Where it sits in the request, for errors: `messages[1].content[2]`. */
  label: string;
  kind: "image" | "document" | "audio";
  /** Base64 or a `data:` URL. */
  data?: string;
  /** An http(s) URL to fetch. */
  url?: string;
  mimeType?: string;
  fileName?: string;
}

/** The text of the user's message and its media parts. */
export interface OpenAiUserContent {
  text: string;
  media: OpenAiMediaPart[];
}

type Part = Record<string, unknown>;

function isRecord(value: unknown): value is Part {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** A URL field: `data:` URLs are inline content, anything else is fetched. */
function fromUrl(url: string, base: Omit<OpenAiMediaPart, "data" | "url">): OpenAiMediaPart {
  return url.startsWith("data:") ? { ...base, data: url } : { ...base, url };
}

function unsupported(label: string, why: string, param: string): OpenAiHttpError {
  return new OpenAiHttpError(400, `${label}: ${why}`, { code: "unsupported_content", param });
}

/** OpenClaw's `source: { type: "url" | "base64", ... }` form, shared by both APIs' image and file parts. */
function fromSource(source: Part, base: Omit<OpenAiMediaPart, "data" | "url">): OpenAiMediaPart | undefined {
  const withName = text(source.filename) ? { ...base, fileName: source.filename as string } : base;
  const withType = text(source.media_type)
    ? { ...withName, mimeType: source.media_type as string }
    : withName;
  if (source.type === "url" && text(source.url)) return fromUrl(source.url as string, withType);
  if (source.type === "base64" && text(source.data)) return { ...withType, data: source.data as string };
  return undefined;
}

function mediaPart(part: Part, label: string, param: string): OpenAiMediaPart | undefined {
  switch (part.type) {
    case "image_url": {
      const imageUrl = part.image_url;
      const url = typeof imageUrl === "string" ? imageUrl : isRecord(imageUrl) ? imageUrl.url : undefined;
      if (!text(url)) throw unsupported(label, "image_url needs a url (https: or data:)", param);
      return fromUrl(url as string, { label, kind: "image" });
    }
    case "input_image": {
      if (isRecord(part.source)) {
        const sourced = fromSource(part.source, { label, kind: "image" });
        if (sourced) return sourced;
      }
      if (text(part.image_url)) return fromUrl(part.image_url as string, { label, kind: "image" });
      throw unsupported(
        label,
        "input_image needs image_url (https: or data:); file_id is not supported",
        param,
      );
    }
    case "input_file":
    case "file": {
      // Chat Completions nests the fields under `file`; Responses puts them on the part.
      const fields = part.type === "file" && isRecord(part.file) ? part.file : part;
      const base = {
        label,
        kind: "document" as const,
        ...(text(fields.filename) ? { fileName: fields.filename as string } : {}),
      };
      if (isRecord(fields.source)) {
        const sourced = fromSource(fields.source, base);
        if (sourced) return sourced;
      }
      if (text(fields.file_data)) return { ...base, data: fields.file_data as string };
      if (text(fields.file_url)) return fromUrl(fields.file_url as string, base);
      throw unsupported(
        label,
        `${String(part.type)} needs file_data (base64 or a data URL) or file_url; file_id is not supported`,
        param,
      );
    }
    case "input_audio": {
      const audio = isRecord(part.input_audio) ? part.input_audio : {};
      if (!text(audio.data)) throw unsupported(label, "input_audio needs data (base64)", param);
      const format = text(audio.format);
      return {
        label,
        kind: "audio",
        data: audio.data as string,
        ...(format ? { mimeType: `audio/${format === "mp3" ? "mpeg" : format}` } : {}),
      };
    }
    default:
      return undefined;
  }
}

const TEXT_PARTS = new Set(["text", "input_text", "output_text"]);

/**
 * The user's message as text plus media parts, for both APIs' content shapes. A part of a type this gateway does not
 * take is refused (400) rather than skipped, so nothing the caller sent is silently dropped.
 */
export function openAiUserContent(content: unknown, labelPrefix: string, param: string): OpenAiUserContent {
  if (typeof content === "string") return { text: content, media: [] };
  if (!Array.isArray(content)) return { text: "", media: [] };
  const texts: string[] = [];
  const media: OpenAiMediaPart[] = [];
  for (const [index, part] of content.entries()) {
    const label = `${labelPrefix}.content[${index}]`;
    if (typeof part === "string") {
      texts.push(part);
      continue;
    }
    if (!isRecord(part)) throw unsupported(label, "a content part must be an object", param);
    if (TEXT_PARTS.has(String(part.type)) || (part.type === undefined && typeof part.text === "string")) {
      if (typeof part.text === "string" && part.text !== "") texts.push(part.text);
      continue;
    }
    const found = mediaPart(part, label, param);
    if (!found) {
      throw unsupported(
        label,
        `content parts of type "${String(part.type)}" are not supported (text, image_url, input_image, input_file, file and input_audio are)`,
        param,
      );
    }
    media.push(found);
  }
  return { text: texts.join("\n"), media };
}

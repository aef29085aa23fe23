import type { GuardedFetchResult } from "@openclaw/tools";
import { z } from "zod";
import {
  type AttachmentLimits,
  AttachmentRejectedError,
  type DecodedAttachment,
  decodeAttachment,
  type MediaUnderstanding,
  resolveAttachmentLimits,
  tooLarge,
  understandAttachments,
} from "../chat/attachment-intake.js";
import type { TurnAttachment } from "../chat/turn-attachment.js";
import { OpenAiHttpError } from "./openai-http-support.js";
import type { OpenAiMediaPart } from "./openai-media-parts.js";

export type OpenAiEndpointName = "chatCompletions" | "responses";

/** Where an image or a file may come from, per OpenClaw's `gateway.http.endpoints.<endpoint>.images|files`. */
interface SourcePolicy {
  allowUrl: boolean;
  /** Exact hosts or `*.example.com`; empty: any public host. Never lets a private address through. */
  urlAllowlist: string[];
  maxBytes: number;
  maxRedirects: number;
  timeoutMs: number;
}

export interface OpenAiMediaPolicy {
  images: SourcePolicy;
  files: SourcePolicy;
  /** URL-sourced parts one request may have. */
  maxUrlParts: number;
  limits: AttachmentLimits;
}

const SourcePolicySchema = z.looseObject({
  allowUrl: z.boolean().optional(),
  urlAllowlist: z.array(z.string()).optional(),
  maxBytes: z.number().int().positive().optional(),
  maxRedirects: z.number().int().min(0).max(10).optional(),
  timeoutMs: z.number().int().positive().optional(),
});

const EndpointMediaSchema = z.looseObject({
  images: SourcePolicySchema.optional(),
  files: SourcePolicySchema.optional(),
  maxUrlParts: z.number().int().min(0).optional(),
});

/**
 * OpenClaw's defaults: Chat Completions refuses image URLs unless `images.allowUrl` is set; the Responses endpoint
 * fetches them. Images stay within the gateway's 6 MB image cap whatever `maxBytes` says: this gateway does not
 * downscale them.
 */
export function resolveOpenAiMediaPolicy(
  config: { agents?: { defaults?: object }; gateway?: { http?: { endpoints?: object } } },
  endpoint: OpenAiEndpointName,
): OpenAiMediaPolicy {
  const limits = resolveAttachmentLimits(config);
  const raw = (config.gateway?.http?.endpoints as Record<string, unknown> | undefined)?.[endpoint];
  const parsed = EndpointMediaSchema.safeParse(raw ?? {});
  const settings = parsed.success ? parsed.data : {};
  const source = (
    given: z.infer<typeof SourcePolicySchema> | undefined,
    defaults: { allowUrl: boolean; maxBytes: number },
  ): SourcePolicy => ({
    allowUrl: given?.allowUrl ?? defaults.allowUrl,
    urlAllowlist: given?.urlAllowlist ?? [],
    maxBytes: given?.maxBytes ?? defaults.maxBytes,
    maxRedirects: given?.maxRedirects ?? 3,
    timeoutMs: given?.timeoutMs ?? 10_000,
  });
  const images = source(settings.images, {
    allowUrl: endpoint === "responses",
    maxBytes: 10 * 1024 * 1024,
  });
  const files = source(settings.files, { allowUrl: endpoint === "responses", maxBytes: 5 * 1024 * 1024 });
  return {
    images,
    files,
    maxUrlParts: settings.maxUrlParts ?? 8,
    limits: {
      maxCount: limits.maxCount,
      maxBytes: Math.min(limits.maxBytes, Math.max(files.maxBytes, images.maxBytes)),
      maxImageBytes: Math.min(limits.maxImageBytes, images.maxBytes),
    },
  };
}

function hostAllowed(host: string, allowlist: string[]): boolean {
  if (allowlist.length === 0) return true;
  const lowered = host.toLowerCase();
  return allowlist.some((entry) => {
    const pattern = entry.toLowerCase();
    return pattern.startsWith("*.") ? lowered.endsWith(pattern.slice(1)) : lowered === pattern;
  });
}

/** The part's own ceiling: the endpoint's images or files limit within the gateway's. */
function limitOf(part: OpenAiMediaPart, policy: OpenAiMediaPolicy): number {
  return part.kind === "image"
    ? policy.limits.maxImageBytes
    : Math.min(policy.limits.maxBytes, policy.files.maxBytes);
}

/** Fetches an http(s) part through the SSRF guard (public addresses only), capped at the part's limit. */
async function fetchPart(
  part: OpenAiMediaPart & { url: string },
  index: number,
  policy: OpenAiMediaPolicy,
  endpoint: OpenAiEndpointName,
  signal: AbortSignal | undefined,
): Promise<DecodedAttachment> {
  const sourcePolicy = part.kind === "image" ? policy.images : policy.files;
  const key = `gateway.http.endpoints.${endpoint}.${part.kind === "image" ? "images" : "files"}`;
  if (!sourcePolicy.allowUrl) {
    throw new AttachmentRejectedError(
      "ATTACHMENT_INVALID",
      `${part.label}: URL sources are off for this endpoint: send the content inline as a data URL, or set ${key}.allowUrl to true`,
      index,
    );
  }
  let host: string;
  try {
    host = new URL(part.url).hostname;
  } catch {
    throw new AttachmentRejectedError(
      "ATTACHMENT_INVALID",
      `${part.label}: "${part.url.slice(0, 200)}" is not a URL`,
      index,
    );
  }
  if (!hostAllowed(host, sourcePolicy.urlAllowlist)) {
    throw new AttachmentRejectedError(
      "ATTACHMENT_INVALID",
      `${part.label}: ${host} is not in ${key}.urlAllowlist`,
      index,
    );
  }
  const limit = limitOf(part, policy);
  let fetched: GuardedFetchResult;
  try {
    // Loaded on first use: the tools package must not weigh on an idle gateway.
    const { guardedFetch } = await import("@openclaw/tools");
    fetched = await guardedFetch(part.url, {
      maxBytes: limit,
      timeoutMs: sourcePolicy.timeoutMs,
      maxRedirects: sourcePolicy.maxRedirects,
      configPrefix: key,
      headers: { accept: part.kind === "image" ? "image/*" : "*/*" },
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    // The guard's refusals (a private address, too many redirects, a timeout) already say what to change.
    const why = error instanceof Error ? error.message : String(error);
    throw new AttachmentRejectedError("ATTACHMENT_INVALID", `${part.label}: ${why}`, index);
  }
  if (fetched.status < 200 || fetched.status >= 300) {
    throw new AttachmentRejectedError(
      "ATTACHMENT_INVALID",
      `${part.label}: fetching ${fetched.url} answered HTTP ${fetched.status}`,
      index,
    );
  }
  if (fetched.truncated) throw tooLarge(part, index, limit + 1, limit, part.kind === "image");
  const fileName = part.fileName ?? decodeURIComponent(new URL(fetched.url).pathname.split("/").at(-1) ?? "");
  return {
    bytes: fetched.body,
    label: part.label,
    kind: part.kind,
    ...(fetched.contentType ? { mimeType: fetched.contentType } : {}),
    ...(fileName ? { fileName } : {}),
  };
}

function httpErrorOf(error: AttachmentRejectedError, param: string): OpenAiHttpError {
  if (error.code === "MEDIA_UNAVAILABLE") {
    return new OpenAiHttpError(503, error.message, { code: "media_unavailable" });
  }
  const status = error.code === "ATTACHMENT_TOO_LARGE" ? 413 : 400;
  return new OpenAiHttpError(status, error.message, { code: error.code.toLowerCase(), param });
}

/**
 * The user message's media, decoded or fetched, stored and understood. Inline parts are size-checked before any
 * part is fetched or stored; a part that cannot be used answers 400 (413 when too large), naming it.
 */
export async function intakeOpenAiMedia(
  parts: OpenAiMediaPart[],
  options: {
    policy: OpenAiMediaPolicy;
    endpoint: OpenAiEndpointName;
    media: MediaUnderstanding | undefined;
    param: string;
    signal?: AbortSignal;
  },
): Promise<TurnAttachment[]> {
  if (parts.length === 0) return [];
  const { policy, endpoint, param } = options;
  try {
    const urlParts = parts.filter((part) => part.url !== undefined).length;
    if (urlParts > policy.maxUrlParts) {
      throw new AttachmentRejectedError(
        "TOO_MANY_ATTACHMENTS",
        `${urlParts} parts are URLs; a request may fetch at most ${policy.maxUrlParts} (gateway.http.endpoints.${endpoint}.maxUrlParts)`,
      );
    }
    if (parts.length > policy.limits.maxCount) {
      throw new AttachmentRejectedError(
        "TOO_MANY_ATTACHMENTS",
        `${parts.length} media parts were sent; one message may carry at most ${policy.limits.maxCount}`,
      );
    }
    const inline = new Map<number, DecodedAttachment>();
    for (const [index, part] of parts.entries()) {
      if (part.data === undefined) continue;
      const limits = { ...policy.limits, maxBytes: limitOf(part, policy) };
      const { bytes, mimeType } = decodeAttachment(
        {
          content: part.data,
          label: part.label,
          kind: part.kind,
          ...(part.mimeType ? { mimeType: part.mimeType } : {}),
        },
        index,
        limits,
      );
      inline.set(index, {
        bytes,
        label: part.label,
        kind: part.kind,
        ...(mimeType === undefined ? {} : { mimeType }),
        ...(part.fileName === undefined ? {} : { fileName: part.fileName }),
      });
    }
    const decoded: DecodedAttachment[] = [];
    for (const [index, part] of parts.entries()) {
      const ready = inline.get(index);
      if (ready) decoded.push(ready);
      else
        decoded.push(
          await fetchPart(part as OpenAiMediaPart & { url: string }, index, policy, endpoint, options.signal),
        );
    }
    return await understandAttachments(decoded, options.media, policy.limits);
  } catch (error) {
    if (error instanceof AttachmentRejectedError) throw httpErrorOf(error, param);
    throw error;
  }
}

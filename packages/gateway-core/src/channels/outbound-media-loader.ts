import { loadMediaSource, parseMediaDirectives } from "@openclaw/media";
import type { OutboundMediaPort } from "./outbound-media.js";

/** A remote file gets this long (DNS, redirects and body) before the send falls back to its link. */
const REMOTE_MEDIA_TIMEOUT_MS = 30_000;
const REMOTE_MEDIA_MAX_REDIRECTS = 5;

export type MediaFetch = (url: string, init?: RequestInit) => Promise<Response>;

/**
 * `fetch` for remote media through the SSRF guard (`@openclaw/tools`' guardedFetch: no private addresses, pinned
 * DNS, a redirect limit), reading at most one byte past `maxBytes` so an oversized file is refused, never buffered.
 */
export function guardedMediaFetch(maxBytes: number, o: { allowPrivateNetwork?: boolean } = {}): MediaFetch {
  return async (url, init) => {
    // Loaded on first use: the tools package (and its search index) must not weigh on an idle gateway.
    const { guardedFetch } = await import("@openclaw/tools");
    const result = await guardedFetch(url, {
      maxBytes: maxBytes + 1,
      timeoutMs: REMOTE_MEDIA_TIMEOUT_MS,
      maxRedirects: REMOTE_MEDIA_MAX_REDIRECTS,
      configPrefix: "tools.web.fetch",
      ...(o.allowPrivateNetwork ? { allowPrivateNetwork: true } : {}),
      ...(init?.signal ? { signal: init.signal } : {}),
    });
    return new Response(result.body.slice(0, maxBytes + 1), {
      status: result.status,
      headers: result.headers,
    });
  };
}

export interface OutboundMediaLoaderOptions {
  /** The agent's workspace (relative `MEDIA:` paths and `filePath`s are read from it); the default agent's when absent. */
  workspaceDirOf(agentId: string | undefined): string;
  /** The media store's folder: files the gateway saved (an inbound photo the agent sends back) may be sent too. */
  mediaRootDir: string;
  /** Replaces the guarded fetch (tests against a loopback server). */
  fetch?: (maxBytes: number) => MediaFetch;
}

/**
 * The runtime's {@link OutboundMediaPort}: OpenClaw's `MEDIA:` lines, and files loaded by `@openclaw/media` from
 * the agent's workspace or the media store (symlinks resolved, no escape), data URLs, or http(s) through the SSRF
 * guard, each within the size cap of the channel it goes to.
 */
export function createOutboundMediaLoader(o: OutboundMediaLoaderOptions): OutboundMediaPort {
  return {
    parseDirectives: (text) => parseMediaDirectives(text),
    load: (source, { agentId, maxBytes }) =>
      loadMediaSource(source, {
        maxBytes,
        allowedRoots: [o.workspaceDirOf(agentId), o.mediaRootDir],
        fetch: (o.fetch ?? guardedMediaFetch)(maxBytes),
      }),
  };
}

import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { ToolError } from "../tool-error.js";
import { parseContentType, readBoundedBody } from "./response-body.js";
import {
  type HostLookup,
  type ResolvedAddress,
  resolvePermittedAddress,
  type SsrfPolicy,
  systemHostLookup,
} from "./ssrf-guard.js";

export interface GuardedFetchOptions {
  /** Shorthand for `policy.dangerouslyAllowPrivateNetwork`. */
  allowPrivateNetwork?: boolean;
  policy?: SsrfPolicy;
  /**
   * The config section whose keys the error messages name (`<prefix>.ssrfPolicy`, `<prefix>.timeoutSeconds`,
   * `<prefix>.maxRedirects`); default "tools.web.fetch".
   */
  configPrefix?: string;
  signal?: AbortSignal;
  /** The decoded body stops here; `truncated` says when it went on. */
  maxBytes: number;
  /** Covers DNS, every redirect and the body. */
  timeoutMs: number;
  maxRedirects: number;
  /** Sent on every hop (User-Agent, Accept, ...). */
  headers?: Record<string, string>;
  /** Sent only to the first URL's origin: operator headers must not follow a redirect to someone else's host. */
  originHeaders?: Record<string, string>;
  lookup?: HostLookup;
}

export interface GuardedFetchResult {
  status: number;
  /** The final URL, after redirects. */
  url: string;
  headers: Record<string, string>;
  body: Uint8Array;
  /** Lower-case media type without parameters; undefined when the server sent none. */
  contentType: string | undefined;
  charset: string | undefined;
  truncated: boolean;
  redirects: number;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Hands the socket the address that was checked, so the connection cannot go anywhere DNS says later. */
function pinnedLookup(target: ResolvedAddress): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  }) as LookupFunction;
}

function parseHttpUrl(raw: string, what: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new ToolError("INVALID_ARGUMENTS", `${what} is not a valid URL: ${raw.slice(0, 200)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ToolError(
      "INVALID_ARGUMENTS",
      `${what} must be http or https, not ${url.protocol.replace(/:$/, "")}`,
    );
  }
  return url;
}

function sendRequest(
  url: URL,
  target: ResolvedAddress,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request({
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ""),
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: "GET",
      headers,
      // A fresh connection per hop: a pooled socket could belong to an address checked for another name.
      agent: false,
      lookup: pinnedLookup(target),
      signal,
    });
    outgoing.once("response", resolve);
    // Kept for the request's whole life: a late error (the body read aborted) must not go unhandled.
    outgoing.on("error", reject);
    outgoing.end();
  });
}

function flattenHeaders(response: IncomingMessage): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

function describeNetworkError(url: URL, error: unknown): ToolError {
  if (error instanceof ToolError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  return new ToolError("FETCH_FAILED", `fetching ${url.origin} failed: ${code ?? message}`);
}

/**
 * GET with the SSRF guard: http(s) only; every hop's host is checked (names through DNS, every answer) and the
 * socket connects to the checked address; redirects are followed by hand up to `maxRedirects`, each re-checked;
 * the body is read up to `maxBytes`; one deadline covers it all. Refusals are `ToolError("BLOCKED_ADDRESS")` naming
 * the policy switch; the caller's abort rejects with the caller's reason.
 */
export async function guardedFetch(
  rawUrl: string,
  options: GuardedFetchOptions,
): Promise<GuardedFetchResult> {
  const configPrefix = options.configPrefix ?? "tools.web.fetch";
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const guard = {
    policy: {
      ...options.policy,
      ...(options.allowPrivateNetwork ? { dangerouslyAllowPrivateNetwork: true } : {}),
    },
    policyKey: `${configPrefix}.ssrfPolicy`,
    lookup: options.lookup ?? systemHostLookup,
    signal,
  };
  const firstUrl = parseHttpUrl(rawUrl, "the URL");
  let url = firstUrl;
  try {
    for (let redirects = 0; ; redirects++) {
      const target = await resolvePermittedAddress(url, guard);
      const sameOrigin = url.origin === firstUrl.origin;
      const headers = { ...(sameOrigin ? options.originHeaders : undefined), ...options.headers };
      const response = await sendRequest(url, target, headers, signal).catch((error: unknown) => {
        throw signal.aborted ? error : describeNetworkError(url, error);
      });
      const location = response.headers.location;
      if (REDIRECT_STATUSES.has(response.statusCode ?? 0) && location) {
        response.destroy();
        if (redirects >= options.maxRedirects) {
          throw new ToolError(
            "FETCH_FAILED",
            `${firstUrl.href} redirected more than ${options.maxRedirects} times (the limit is ${configPrefix}.maxRedirects)`,
          );
        }
        url = parseHttpUrl(location, "a redirect target", url);
        continue;
      }
      const { body, truncated } = await readBoundedBody(response, options.maxBytes);
      const contentType = parseContentType(response.headers["content-type"]);
      return {
        status: response.statusCode ?? 0,
        url: url.href,
        headers: flattenHeaders(response),
        body,
        contentType: contentType?.mediaType,
        charset: contentType?.charset,
        truncated,
        redirects,
      };
    }
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted) {
      throw new ToolError(
        "TIMEOUT",
        `fetching ${url.href} took longer than ${Math.round(options.timeoutMs / 100) / 10} s and was stopped ` +
          `(the limit is ${configPrefix}.timeoutSeconds)`,
      );
    }
    throw describeNetworkError(url, error);
  }
}

import { ToolError } from "../../tool-error.js";
import { blockedAddressRange, ipFamily } from "../address-policy.js";
import { readResponseText } from "../response-body.js";
import { normalizeHostname, systemHostLookup } from "../ssrf-guard.js";

/** A search API answers in kilobytes; anything near this is not a search result. */
const MAX_PROVIDER_RESPONSE_BYTES = 2 * 1024 * 1024;
const DETAIL_CHARS = 240;

export interface ProviderRequest {
  /** For messages, e.g. "Brave Search". */
  label: string;
  url: URL;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: unknown;
  /** Values that must never appear in an error message (the API key), even if the provider echoes them. */
  secrets?: readonly string[];
  /** Appended to 401/403 errors: where the credential is configured. */
  credentialHint?: string;
  signal: AbortSignal;
}

/**
 * An API key must not cross the internet in clear text: http:// is accepted only for hosts that are this machine or
 * on its private network (a self-hosted SearXNG, a local proxy), as OpenClaw does.
 */
export async function assertSecureEndpoint(url: URL, key: string): Promise<void> {
  if (url.protocol === "https:") return;
  const host = normalizeHostname(url.hostname);
  if (host === "localhost" || host.endsWith(".localhost")) return;
  const addresses =
    ipFamily(host) !== 0
      ? [host]
      : (await systemHostLookup(host).catch(() => [])).map((answer) => answer.address);
  const allPrivate =
    addresses.length > 0 && addresses.every((address) => blockedAddressRange(address) !== undefined);
  if (!allPrivate) {
    throw new ToolError(
      "NOT_CONFIGURED",
      `${key} uses http:// for ${host}, which is not a private or loopback host: use https://`,
    );
  }
}

function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => (secret ? out.split(secret).join("[redacted]") : out), text);
}

/** The provider's own words for a failed request, from the JSON error shapes Brave, Tavily and SearXNG use. */
function errorDetail(text: string): string {
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const error = json.error as Record<string, unknown> | string | undefined;
    const detail = json.detail as Record<string, unknown> | string | undefined;
    const parts =
      typeof error === "object" && error
        ? [error.code, error.detail ?? error.message]
        : typeof detail === "object" && detail
          ? [detail.error ?? detail.message]
          : [error ?? detail ?? json.message];
    const joined = parts.filter((part) => typeof part === "string" && part).join(": ");
    if (joined) return joined;
  } catch {
    // not JSON: an HTML error page or plain text
  }
  return text
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Calls a search API and returns its JSON. The endpoint is the operator's choice (config or environment), not the
 * model's, so it does not go through web_fetch's private-address guard: a self-hosted SearXNG on the LAN is the
 * normal case. The model only chooses the query, which travels as a parameter.
 */
export async function requestProviderJson(request: ProviderRequest): Promise<unknown> {
  const secrets = request.secrets ?? [];
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method ?? "GET",
      headers: {
        accept: "application/json",
        ...(request.body === undefined ? {} : { "content-type": "application/json" }),
        ...request.headers,
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      redirect: "error",
      signal: request.signal,
    });
  } catch (error) {
    if (request.signal.aborted) throw error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new ToolError(
      "PROVIDER_ERROR",
      redact(`${request.label} could not be reached at ${request.url.origin}: ${reason}`, secrets),
    );
  }
  const text = await readResponseText(
    response,
    MAX_PROVIDER_RESPONSE_BYTES,
    () =>
      new ToolError("PROVIDER_ERROR", `${request.label} sent more than ${MAX_PROVIDER_RESPONSE_BYTES} bytes`),
  );
  if (!response.ok) {
    const detail = redact(errorDetail(text), secrets).slice(0, DETAIL_CHARS);
    const hint =
      (response.status === 401 || response.status === 403 || response.status === 422) &&
      request.credentialHint
        ? ` (${request.credentialHint})`
        : response.status === 429
          ? " (rate limited: try again later)"
          : "";
    throw new ToolError(
      "PROVIDER_ERROR",
      `${request.label} answered HTTP ${response.status}${detail ? `: ${detail}` : ""}${hint}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ToolError("PROVIDER_ERROR", `${request.label} answered with something that is not JSON`);
  }
}

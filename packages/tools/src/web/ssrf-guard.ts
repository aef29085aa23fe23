import { lookup as dnsLookup } from "node:dns/promises";
import { ToolError } from "../tool-error.js";
import { type AddressExceptions, blockedAddressRange, ipFamily } from "./address-policy.js";

/** OpenClaw's `ssrfPolicy` shape (`tools.web.fetch.ssrfPolicy`). */
export interface SsrfPolicy extends AddressExceptions {
  /** Lets every private, loopback and link-local target through; for deployments that trust model-chosen URLs. */
  dangerouslyAllowPrivateNetwork?: boolean;
  /** Exact host names or IP literals allowed even when they are private. */
  allowedHostnames?: readonly string[];
  /** Exact hosts, or "*.example.com" for subdomains, refused before DNS, whatever else is allowed. */
  blockedHostnames?: readonly string[];
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has; tests inject one to play DNS. */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemHostLookup: HostLookup = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map((answer) => ({ address: answer.address, family: answer.family === 6 ? 6 : 4 }));
};

export interface SsrfGuardContext {
  policy: SsrfPolicy;
  /** The config key that holds the policy, named in refusals so the operator knows what to change. */
  policyKey: string;
  lookup: HostLookup;
  signal: AbortSignal;
}

/** Names that always mean "this machine or its LAN", refused without asking DNS. */
const INTERNAL_NAME_SUFFIXES = [".localhost", ".local", ".internal"];

/** Lower case, no brackets around IPv6, no trailing root dot: the form the policy lists are compared in. */
export function normalizeHostname(hostname: string): string {
  const lower = hostname.toLowerCase();
  const bare = lower.startsWith("[") && lower.endsWith("]") ? lower.slice(1, -1) : lower;
  return bare.endsWith(".") ? bare.slice(0, -1) : bare;
}

function matchesHostPattern(host: string, pattern: string): boolean {
  const normalized = normalizeHostname(pattern.trim());
  if (normalized.startsWith("*.")) return host.endsWith(normalized.slice(1));
  return host === normalized;
}

function refusal(host: string, why: string, guard: SsrfGuardContext): ToolError {
  return new ToolError(
    "BLOCKED_ADDRESS",
    `refused to connect to ${host}: ${why}. Private, loopback and link-local addresses are blocked so a fetched URL ` +
      `cannot reach this machine or its network. To allow it, add the host to ${guard.policyKey}.allowedHostnames, ` +
      `or set ${guard.policyKey}.dangerouslyAllowPrivateNetwork: true if model-chosen URLs are trusted here.`,
  );
}

async function lookupWithAbort(host: string, guard: SsrfGuardContext): Promise<ResolvedAddress[]> {
  guard.signal.throwIfAborted();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(guard.signal.reason);
    guard.signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([guard.lookup(host), aborted]);
  } catch (error) {
    if (guard.signal.aborted) throw guard.signal.reason;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ToolError(
      "FETCH_FAILED",
      `could not resolve ${host}${code ? ` (${code})` : ""}: check the URL`,
    );
  } finally {
    if (onAbort) guard.signal.removeEventListener("abort", onAbort);
  }
}

/**
 * Decides whether `url` may be fetched and returns the one address to connect to. Every DNS answer must be
 * public, and the caller connects to the returned address itself (never resolving the name again), so a DNS answer
 * that changes between this check and the connection cannot smuggle in a private address.
 */
export async function resolvePermittedAddress(url: URL, guard: SsrfGuardContext): Promise<ResolvedAddress> {
  const host = normalizeHostname(url.hostname);
  const { policy } = guard;
  if ((policy.blockedHostnames ?? []).some((pattern) => matchesHostPattern(host, pattern))) {
    throw new ToolError(
      "BLOCKED_ADDRESS",
      `refused to connect to ${host}: it is listed in ${guard.policyKey}.blockedHostnames`,
    );
  }
  const permissive =
    policy.dangerouslyAllowPrivateNetwork === true ||
    (policy.allowedHostnames ?? []).some((allowed) => normalizeHostname(allowed.trim()) === host);
  const family = ipFamily(host);
  if (family !== 0) {
    const range = permissive ? undefined : blockedAddressRange(host, policy);
    if (range) throw refusal(host, `it is a ${range} address`, guard);
    return { address: host, family };
  }
  if (
    !permissive &&
    (host === "localhost" || INTERNAL_NAME_SUFFIXES.some((suffix) => host.endsWith(suffix)))
  ) {
    throw refusal(host, "the name is reserved for this machine or its local network", guard);
  }
  const answers = await lookupWithAbort(host, guard);
  const first = answers[0];
  if (!first) throw new ToolError("FETCH_FAILED", `could not resolve ${host}: DNS returned no address`);
  if (!permissive) {
    for (const answer of answers) {
      const range = blockedAddressRange(answer.address, policy);
      if (range) throw refusal(host, `it resolves to ${answer.address}, a ${range} address`, guard);
    }
  }
  return first;
}

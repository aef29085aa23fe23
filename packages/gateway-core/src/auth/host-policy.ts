import { isIP } from "node:net";
import { hostname as osHostname } from "node:os";

/**
 * Which `Host` headers and browser `Origin`s the gateway answers. A DNS-rebinding page controls both headers (its
 * own name, re-pointed at 127.0.0.1), so "Origin host equals Host" proves nothing on its own: the Host must also be a
 * name this machine can be reached by without a third party's DNS (an IP literal, localhost, a .local or .ts.net
 * name, this host's own name) or one the operator listed. A reverse proxy the operator trusts may forward any Host.
 */
export interface HostPolicy {
  /** `gateway.controlUi.allowedOrigins`: their hosts are accepted as Host too. `"*"` accepts every origin. */
  allowedOrigins: readonly string[];
  /** More names the gateway is reached by (the Tailscale URL's host, a custom bind host). */
  extraHosts?: readonly string[];
  /** `gateway.controlUi.dangerouslyAllowHostHeaderOriginFallback`: any Host, and Origin may equal any Host. */
  dangerouslyAllowHostHeaderOriginFallback?: boolean;
}

export type HostVerdict = { ok: true } | { ok: false; status: 403 | 421; reason: string };

/** The host part of a `Host` header or URL authority, lower-cased, without port or IPv6 brackets. */
export function hostWithoutPort(authority: string): string {
  const value = authority.trim().toLowerCase();
  if (value.startsWith("[")) {
    const end = value.indexOf("]");
    return end > 0 ? value.slice(1, end) : value;
  }
  const colon = value.indexOf(":");
  // More than one colon without brackets is a bare IPv6 address.
  if (colon >= 0 && value.indexOf(":", colon + 1) === -1) return value.slice(0, colon);
  return value.replace(/\.$/, "");
}

function isLocalName(host: string, extraHosts: readonly string[]): boolean {
  if (isIP(host) !== 0) return true;
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (host.endsWith(".local") || host.endsWith(".ts.net")) return true;
  const own = osHostname().toLowerCase();
  if (host === own || host === `${own}.local`) return true;
  return extraHosts.some((extra) => hostWithoutPort(extra) === host);
}

function originHost(origin: string): string | undefined {
  if (origin === "*") return undefined;
  try {
    const url = new URL(origin);
    return url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Checks the `Host` header. An IP literal always passes: a request can only reach this socket through one of the
 * machine's own addresses, so no rebinding is involved.
 */
export function checkHostHeader(
  hostHeader: string | undefined,
  policy: HostPolicy,
  fromTrustedProxy = false,
): HostVerdict {
  // HTTP/1.0 tools may omit Host; every browser sends it.
  if (hostHeader === undefined || hostHeader === "") return { ok: true };
  if (fromTrustedProxy || policy.dangerouslyAllowHostHeaderOriginFallback) return { ok: true };
  const host = hostWithoutPort(hostHeader);
  if (isLocalName(host, policy.extraHosts ?? [])) return { ok: true };
  if (policy.allowedOrigins.some((origin) => originHost(origin) === host)) return { ok: true };
  return {
    ok: false,
    status: 421,
    reason: `host "${host}" is not a name of this gateway: add its origin to gateway.controlUi.allowedOrigins if it is yours`,
  };
}

/**
 * Browser upgrades and requests carry an `Origin`; non-browser clients usually send none. A browser page may only
 * talk to the gateway from the gateway's own origin (under a Host that passed {@link checkHostHeader}) or one listed
 * in `gateway.controlUi.allowedOrigins`, which stops a foreign page from driving a local gateway through the user's
 * browser (CVE-2026-25253).
 */
export function isOriginAllowed(
  origin: string | undefined,
  hostHeader: string | undefined,
  policy: HostPolicy,
): boolean {
  if (origin === undefined) return true;
  const normalized = origin.replace(/\/+$/, "").toLowerCase();
  if (
    policy.allowedOrigins.some(
      (allowed) => allowed === "*" || allowed.replace(/\/+$/, "").toLowerCase() === normalized,
    )
  ) {
    return true;
  }
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false;
  if (hostHeader === undefined || parsed.host.toLowerCase() !== hostHeader.trim().toLowerCase()) return false;
  return checkHostHeader(hostHeader, policy).ok;
}

/**
 * The whole browser check for one request or upgrade: the Host must name this gateway (421 otherwise) and a browser
 * Origin must be allowed under it (403 otherwise).
 */
export function checkBrowserRequest(
  headers: { host?: string | undefined; origin?: string | undefined },
  policy: HostPolicy,
  fromTrustedProxy: boolean,
): HostVerdict {
  const host = checkHostHeader(headers.host, policy, fromTrustedProxy);
  if (!host.ok) return host;
  if (headers.origin === undefined || isOriginAllowed(headers.origin, headers.host, policy)) return host;
  return {
    ok: false,
    status: 403,
    reason: `origin ${headers.origin} may not use this gateway: add it to gateway.controlUi.allowedOrigins if it is yours`,
  };
}

import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

function normalize(address: string): string {
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

/** `a.b.c.d/n` or a plain address; IPv6 entries match exactly. */
function matches(address: string, entry: string): boolean {
  const [base, bits] = entry.split("/");
  if (bits === undefined || isIP(address) !== 4 || isIP(base ?? "") !== 4)
    return normalize(address) === normalize(entry);
  const toInt = (ip: string) => ip.split(".").reduce((value, part) => (value << 8) + Number(part), 0) >>> 0;
  const prefix = Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) return false;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return (toInt(address) & mask) === (toInt(base ?? "") & mask);
}

/** Whether the TCP peer of `request` is one of `gateway.trustedProxies`. */
export function isFromTrustedProxy(request: IncomingMessage, trustedProxies: readonly string[]): boolean {
  const peer = normalize(request.socket.remoteAddress ?? "unknown");
  return trustedProxies.some((entry) => matches(peer, entry));
}

/**
 * The address a request really comes from. `X-Forwarded-For` is believed only when the TCP peer is one of
 * `gateway.trustedProxies`; then the right-most address not itself a trusted proxy is the client. An address learned
 * through a proxy is marked, so it can never pass as loopback (a proxy on the same host would otherwise make every
 * internet client look local and skip the auth rate limiter).
 */
export function resolveClientAddress(request: IncomingMessage, trustedProxies: readonly string[]): string {
  const peer = normalize(request.socket.remoteAddress ?? "unknown");
  if (trustedProxies.length === 0 || !trustedProxies.some((entry) => matches(peer, entry))) return peer;
  const header = request.headers["x-forwarded-for"];
  const hops = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((hop) => normalize(hop.trim()))
    .filter((hop) => hop !== "");
  // No forwarding header: the proxy host is talking for itself.
  if (hops.length === 0) return peer;
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    const hop = hops[index] as string;
    if (!trustedProxies.some((entry) => matches(hop, entry))) return `proxied:${hop}`;
  }
  return `proxied:${hops[0]}`;
}

import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

/** The exceptions an operator may grant from the default "public unicast only" rule. */
export interface AddressExceptions {
  /** 198.18.0.0/15, which fake-IP proxies (Clash, Surge) hand out for every name. */
  allowRfc2544BenchmarkRange?: boolean;
  /** fc00::/7, used the same way by sing-box and friends. */
  allowIpv6UniqueLocalRange?: boolean;
}

const BENCHMARK_RANGE = ipaddr.parseCIDR("198.18.0.0/15");
/** RFC 8215 local-use NAT64: the IPv4 behind it is whatever the local translator says, so it proves nothing. */
const LOCAL_NAT64_RANGE = ipaddr.parseCIDR("64:ff9b:1::/48");

function rangeOfIPv4(address: ipaddr.IPv4, exceptions: AddressExceptions): string | undefined {
  if (exceptions.allowRfc2544BenchmarkRange && address.match(BENCHMARK_RANGE)) return undefined;
  const range = address.range();
  return range === "unicast" ? undefined : range;
}

/** The IPv4 address an IPv6 one stands for when a host or translator would deliver it over IPv4. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const parts = address.parts;
  const range = address.range();
  // ::a.b.c.d (IPv4-compatible, deprecated), ::ffff:a.b.c.d (mapped) and ::ffff:0:a.b.c.d (RFC 6145) all reach the
  // IPv4 host on a dual-stack socket or a SIIT translator.
  const zeroPrefix = parts.slice(0, 5).every((part) => part === 0);
  if (zeroPrefix && (parts[5] === 0 || parts[5] === 0xffff)) return ipv4FromParts(parts[6], parts[7]);
  if (parts.slice(0, 4).every((part) => part === 0) && parts[4] === 0xffff && parts[5] === 0) {
    return ipv4FromParts(parts[6], parts[7]);
  }
  if (range === "rfc6052" && !address.match(LOCAL_NAT64_RANGE)) return ipv4FromParts(parts[6], parts[7]);
  if (range === "6to4") return ipv4FromParts(parts[1], parts[2]);
  return undefined;
}

function ipv4FromParts(high = 0, low = 0): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/**
 * Why an address may not be reached from a model-chosen URL, or undefined when it is public unicast. Only ranges
 * ipaddr.js calls "unicast" pass: loopback, private, link-local (cloud metadata), unique-local, CGNAT, multicast,
 * unspecified, reserved, documentation and the translation prefixes all stay out; IPv6 forms that carry an IPv4
 * address (mapped, compatible, NAT64, 6to4) are judged by that IPv4 address.
 */
export function blockedAddressRange(address: string, exceptions: AddressExceptions = {}): string | undefined {
  const bare = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  if (!ipaddr.isValid(bare)) return "invalid";
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === "ipv4") return rangeOfIPv4(parsed as ipaddr.IPv4, exceptions);
  const v6 = parsed as ipaddr.IPv6;
  const range = v6.range();
  if (range === "loopback" || range === "unspecified") return range;
  const embedded = embeddedIPv4(v6);
  if (embedded) {
    const inner = rangeOfIPv4(embedded, exceptions);
    return inner === undefined ? undefined : `${inner} (as ${range} IPv6)`;
  }
  if (range === "uniqueLocal" && exceptions.allowIpv6UniqueLocalRange) return undefined;
  return range === "unicast" ? undefined : range;
}

/** 4 or 6 for an IP literal (brackets allowed), else 0. */
export function ipFamily(host: string): 0 | 4 | 6 {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  return isIP(bare) as 0 | 4 | 6;
}

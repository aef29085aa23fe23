import { describe, expect, it } from "vitest";
import { blockedAddressRange } from "./address-policy.js";

describe("blockedAddressRange", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "linkLocal"],
    ["100.64.0.1", "carrierGradeNat"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.251", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["198.18.0.5", "reserved"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "linkLocal"],
    ["fd12:3456::1", "uniqueLocal"],
    ["ff02::1", "multicast"],
  ])("refuses %s (%s)", (address, range) => {
    expect(blockedAddressRange(address)).toBe(range);
  });

  it.each([
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:169.254.169.254", "linkLocal"],
    ["::127.0.0.1", "loopback"],
    ["::ffff:0:10.0.0.1", "private"],
    ["64:ff9b::a9fe:a9fe", "linkLocal"],
    ["2002:7f00:1::", "loopback"],
  ])("judges %s by the IPv4 address it carries", (address, inner) => {
    expect(blockedAddressRange(address)).toMatch(new RegExp(`^${inner} \\(as `));
  });

  it.each(["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"])(
    "lets public %s through",
    (address) => {
      expect(blockedAddressRange(address)).toBeUndefined();
    },
  );

  it("opens the fake-IP ranges only when asked", () => {
    expect(blockedAddressRange("198.18.0.5", { allowRfc2544BenchmarkRange: true })).toBeUndefined();
    expect(blockedAddressRange("fd00::5", { allowIpv6UniqueLocalRange: true })).toBeUndefined();
    expect(blockedAddressRange("10.0.0.1", { allowRfc2544BenchmarkRange: true })).toBe("private");
  });

  it("refuses what is not an address", () => {
    expect(blockedAddressRange("not-an-ip")).toBe("invalid");
  });
});

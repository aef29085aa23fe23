import { gzipSync } from "node:zlib";
import { type FakeWebSite, startFakeWebSite } from "@openclaw/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ToolError } from "../tool-error.js";
import { type GuardedFetchOptions, guardedFetch } from "./guarded-fetch.js";
import type { HostLookup } from "./ssrf-guard.js";

let site: FakeWebSite;
let port: string;

beforeAll(async () => {
  site = await startFakeWebSite({
    "/hello": { body: "hello from loopback", headers: { "content-type": "text/plain; charset=utf-8" } },
    "/to-hello": { status: 302, headers: { location: "/hello" } },
    "/loop": { status: 302, headers: { location: "/loop" } },
    "/gzip": {
      body: gzipSync("squeezed text"),
      headers: { "content-type": "text/plain", "content-encoding": "gzip" },
    },
    "/endless": { endless: true, headers: { "content-type": "text/plain" } },
    "/stall": { stall: true, body: "<html><body>first bytes", headers: { "content-type": "text/html" } },
    "/secret": { body: "internal only" },
  });
  port = new URL(site.url).port;
});

afterAll(() => site.close());

/** A DNS that knows a few made-up names; anything else does not resolve. */
function fakeDns(answers: Record<string, string[]>): HostLookup {
  return async (hostname) => {
    const addresses = answers[hostname];
    if (!addresses) throw Object.assign(new Error(`queryA ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
}

const defaults: GuardedFetchOptions = { maxBytes: 100_000, timeoutMs: 10_000, maxRedirects: 3 };

async function refusal(url: string, options: Partial<GuardedFetchOptions> = {}): Promise<ToolError> {
  const error = await guardedFetch(url, { ...defaults, ...options }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}

describe("guardedFetch: private addresses", () => {
  it("refuses the loopback site by default and names the switch", async () => {
    const before = site.requests.length;
    const error = await refusal(`${site.url}/hello`);
    expect(error.code).toBe("BLOCKED_ADDRESS");
    expect(error.message).toContain("tools.web.fetch.ssrfPolicy.dangerouslyAllowPrivateNetwork");
    expect(site.requests.length).toBe(before);
  });

  it("fetches the loopback site when private networks are allowed", async () => {
    const result = await guardedFetch(`${site.url}/hello`, { ...defaults, allowPrivateNetwork: true });
    expect(result).toMatchObject({
      status: 200,
      contentType: "text/plain",
      charset: "utf-8",
      truncated: false,
    });
    expect(new TextDecoder().decode(result.body)).toBe("hello from loopback");
  });

  it.each([
    "http://2130706433/",
    "http://0x7f000001/",
    "http://017700000001/",
    "http://127.1/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:a00:1]/",
    "http://0.0.0.0/",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.100.100.200/",
    "http://[fe80::1]/",
    "http://[fd00::1]/",
    "http://224.0.0.1/",
    "http://localhost/",
    "http://printer.local/",
    "http://metadata.google.internal/",
  ])("refuses %s without connecting", async (url) => {
    const lookup = fakeDns({});
    const error = await refusal(url, { lookup });
    expect(error.code).toBe("BLOCKED_ADDRESS");
  });

  it.each([
    ["127.0.0.1", "loopback"],
    ["169.254.169.254", "linkLocal"],
    ["::ffff:10.0.0.1", "private"],
  ])("refuses a public-looking name that resolves to %s", async (address, range) => {
    const before = site.requests.length;
    const lookup = fakeDns({ "news.example.com": [address] });
    const error = await refusal(`http://news.example.com:${port}/hello`, { lookup });
    expect(error.code).toBe("BLOCKED_ADDRESS");
    expect(error.message).toContain(`resolves to ${address}`);
    expect(error.message).toContain(range);
    expect(site.requests.length).toBe(before);
  });

  it("refuses a name when any of its answers is private", async () => {
    const lookup = fakeDns({ "mixed.example.com": ["93.184.215.14", "10.0.0.7"] });
    expect((await refusal(`http://mixed.example.com:${port}/hello`, { lookup })).code).toBe(
      "BLOCKED_ADDRESS",
    );
  });

  it("connects to the address it checked, not to what DNS says later", async () => {
    let answers = 0;
    // The first answer passes the check (an allowed host on loopback); a second lookup would say 10.0.0.1.
    const lookup: HostLookup = async () => [
      { address: answers++ === 0 ? "127.0.0.1" : "10.0.0.1", family: 4 },
    ];
    const result = await guardedFetch(`http://site.test:${port}/hello`, {
      ...defaults,
      lookup,
      policy: { allowedHostnames: ["site.test"] },
    });
    expect(new TextDecoder().decode(result.body)).toBe("hello from loopback");
    expect(answers).toBe(1);
    expect(site.requests.at(-1)?.headers.host).toBe(`site.test:${port}`);
  });

  it("re-checks every redirect: an allowed host sending the fetch to a private one is refused", async () => {
    const lookup = fakeDns({ "site.test": ["127.0.0.1"], "metadata.test": ["169.254.169.254"] });
    site.setPage("/to-loopback-ip", {
      status: 302,
      headers: { location: `http://127.0.0.1:${port}/secret` },
    });
    site.setPage("/to-metadata", {
      status: 301,
      headers: { location: "http://metadata.test/latest/meta-data/" },
    });
    const policy = { allowedHostnames: ["site.test"] };
    const toLoopback = await refusal(`http://site.test:${port}/to-loopback-ip`, { lookup, policy });
    expect(toLoopback.code).toBe("BLOCKED_ADDRESS");
    expect(toLoopback.message).toContain("127.0.0.1");
    const toMetadata = await refusal(`http://site.test:${port}/to-metadata`, { lookup, policy });
    expect(toMetadata.message).toContain("169.254.169.254");
    expect(site.requests.some((request) => request.path === "/secret")).toBe(false);
  });

  it("refuses blocked host names even when private networks are allowed", async () => {
    const error = await refusal(`http://ads.tracker.test:${port}/hello`, {
      allowPrivateNetwork: true,
      lookup: fakeDns({ "ads.tracker.test": ["127.0.0.1"] }),
      policy: { blockedHostnames: ["*.tracker.test"] },
    });
    expect(error.message).toContain("blockedHostnames");
  });

  it("refuses schemes other than http and https", async () => {
    for (const url of ["file:///etc/passwd", "ftp://example.com/x", "gopher://example.com/"]) {
      expect((await refusal(url)).code).toBe("INVALID_ARGUMENTS");
    }
  });
});

describe("guardedFetch: redirects, caps and encodings", () => {
  const open = { ...defaults, allowPrivateNetwork: true };

  it("follows a redirect and reports the final URL", async () => {
    const result = await guardedFetch(`${site.url}/to-hello`, open);
    expect(result.url).toBe(`${site.url}/hello`);
    expect(result.redirects).toBe(1);
  });

  it("stops after maxRedirects", async () => {
    const error = await refusal(`${site.url}/loop`, { ...open, maxRedirects: 2 });
    expect(error.code).toBe("FETCH_FAILED");
    expect(error.message).toContain("tools.web.fetch.maxRedirects");
  });

  it("stops reading an endless body at maxBytes", async () => {
    const result = await guardedFetch(`${site.url}/endless`, { ...open, maxBytes: 200_000 });
    expect(result.truncated).toBe(true);
    expect(result.body.length).toBe(200_000);
  });

  it("gives up on a response that stalls, as a TIMEOUT naming the setting", async () => {
    const error = await refusal(`${site.url}/stall`, { ...open, timeoutMs: 300 });
    expect(error.code).toBe("TIMEOUT");
    expect(error.message).toContain("tools.web.fetch.timeoutSeconds");
  });

  it("rejects with the caller's reason when the caller aborts", async () => {
    const controller = new AbortController();
    const pending = guardedFetch(`${site.url}/stall`, { ...open, signal: controller.signal });
    const reason = new Error("run cancelled");
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it("decodes a gzip body", async () => {
    const result = await guardedFetch(`${site.url}/gzip`, open);
    expect(new TextDecoder().decode(result.body)).toBe("squeezed text");
  });

  it("sends origin headers to the first origin only", async () => {
    const lookup = fakeDns({ "other.test": ["127.0.0.1"] });
    site.setPage("/to-other", { status: 302, headers: { location: `http://other.test:${port}/hello` } });
    await guardedFetch(`${site.url}/to-other`, { ...open, lookup, originHeaders: { "x-routing": "blue" } });
    const [first, second] = site.requests.slice(-2);
    expect(first?.headers["x-routing"]).toBe("blue");
    expect(second?.headers["x-routing"]).toBeUndefined();
  });
});

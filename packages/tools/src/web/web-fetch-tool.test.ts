import { readFile } from "node:fs/promises";
import { type FakeWebSite, startFakeWebSite } from "@openclaw/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toolContext } from "../fs/fs-test-workspace.js";
import { ToolError } from "../tool-error.js";
import type { WebFetchConfig } from "./web-config.js";
import { createWebFetchTool, type WebFetchResult } from "./web-fetch-tool.js";

let site: FakeWebSite;
const PNG = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);

beforeAll(async () => {
  const article = await readFile(new URL("./__fixtures__/blog-article.html", import.meta.url), "utf8");
  site = await startFakeWebSite({
    "/2026/08/pi-gateway/": { body: article },
    "/notes.txt": {
      body: `${"A line of plain notes.\n".repeat(2000)}`,
      headers: { "content-type": "text/plain" },
    },
    "/data.json": {
      body: '{"name":"openclaw","tools":["web_fetch"]}',
      headers: { "content-type": "application/json" },
    },
    "/logo.png": { body: PNG, headers: { "content-type": "image/png" } },
    "/gone": { status: 410, body: "<html><body><h1>Gone</h1><p>This post was removed.</p></body></html>" },
    "/big.html": {
      endless: true,
      body: "<html><body><p>start</p>",
      headers: { "content-type": "text/html" },
    },
  });
});

afterAll(() => site.close());

const allowLoopback: WebFetchConfig = { ssrfPolicy: { dangerouslyAllowPrivateNetwork: true } };

async function fetchWith(
  config: WebFetchConfig | undefined,
  args: Record<string, unknown>,
): Promise<WebFetchResult> {
  const tool = createWebFetchTool({ config: () => config });
  return (await tool.execute(args, toolContext())) as WebFetchResult;
}

async function failureOf(
  config: WebFetchConfig | undefined,
  args: Record<string, unknown>,
): Promise<ToolError> {
  const error = await fetchWith(config, args).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}

describe("web_fetch", () => {
  it("turns an article page into readable markdown without the page's chrome", async () => {
    const result = await fetchWith(allowLoopback, { url: `${site.url}/2026/08/pi-gateway/` });
    expect(result).toMatchObject({
      status: 200,
      contentType: "text/html",
      extractMode: "markdown",
      extractor: "readability",
      truncated: false,
      externalContent: { untrusted: true, source: "web_fetch", wrapped: true },
    });
    expect(result.title).toContain("Running a Self-Hosted Assistant Gateway on a Raspberry Pi");
    expect(result.text).toContain("## Why a gateway at all?");
    expect(result.text).toContain("gives the model **tools**");
    expect(result.text).toContain("openclaw gateway --port 18789");
    expect(result.text).toContain(`[Telegram bots primer](${site.url}/2026/07/telegram-bots-101/)`);
    expect(result.text).toContain(`${site.url}/2026/08/pi-gateway/images/pi-on-shelf.jpg`);
    for (const chrome of [
      "Accept all cookies",
      "Mastering Home Servers",
      "All rights reserved",
      "dataLayer",
    ]) {
      expect(result.text).not.toContain(chrome);
    }
    expect(result.text).toMatch(/^The text below was fetched from the web/);
    expect(result.text).toMatch(/<<<EXTERNAL_UNTRUSTED_CONTENT id="[0-9a-f]{16}">>>/);
    expect(result.length).toBe(result.text.length);
  });

  it("returns plain text in text mode", async () => {
    const result = await fetchWith(allowLoopback, {
      url: `${site.url}/2026/08/pi-gateway/`,
      extractMode: "text",
    });
    expect(result.extractMode).toBe("text");
    expect(result.text).toContain("Why a gateway at all?");
    expect(result.text).not.toContain("## ");
    expect(result.text).not.toContain("**");
    expect(result.text).toContain("- Memory is just markdown.");
  });

  it("cuts the output at maxChars with a visible note", async () => {
    const result = await fetchWith(allowLoopback, { url: `${site.url}/notes.txt`, maxChars: 500 });
    expect(result.truncated).toBe(true);
    expect(result.rawLength).toBe("A line of plain notes.\n".length * 2000);
    expect(result.text).toContain("[web_fetch: truncated to 500 of");
    expect(result.text).toContain("tools.web.fetch.maxCharsCap");
  });

  it("clamps maxChars to maxCharsCap", async () => {
    const result = await fetchWith(
      { ...allowLoopback, maxCharsCap: 1_000 },
      { url: `${site.url}/notes.txt`, maxChars: 50_000 },
    );
    expect(result.text).toContain("truncated to 1000 of");
  });

  it("stops downloading at maxResponseBytes and says so", async () => {
    const result = await fetchWith(
      { ...allowLoopback, maxResponseBytes: 40_000 },
      { url: `${site.url}/big.html` },
    );
    expect(result.truncated).toBe(true);
    expect(result.warning).toContain("tools.web.fetch.maxResponseBytes");
  });

  it("pretty-prints JSON", async () => {
    const result = await fetchWith(allowLoopback, { url: `${site.url}/data.json` });
    expect(result.extractor).toBe("json");
    expect(result.text).toContain('"tools": [\n    "web_fetch"\n  ]');
  });

  it("refuses binary content clearly", async () => {
    const error = await failureOf(allowLoopback, { url: `${site.url}/logo.png` });
    expect(error.code).toBe("UNSUPPORTED_CONTENT");
    expect(error.message).toContain("image/png");
    expect(error.message).toContain("view_image");
  });

  it("reports an HTTP error with the status and a short detail", async () => {
    const error = await failureOf(allowLoopback, { url: `${site.url}/gone` });
    expect(error.code).toBe("FETCH_FAILED");
    expect(error.message).toContain("HTTP 410");
    expect(error.message).toContain("This post was removed.");
  });

  it("refuses the loopback site by default and fetches it with the switch", async () => {
    const url = `${site.url}/notes.txt`;
    const refused = await failureOf(undefined, { url });
    expect(refused.code).toBe("BLOCKED_ADDRESS");
    expect(refused.message).toContain("tools.web.fetch.ssrfPolicy.dangerouslyAllowPrivateNetwork");
    const allowed = await fetchWith(allowLoopback, { url });
    expect(allowed.status).toBe(200);
    const host = new URL(site.url).hostname;
    const listed = await fetchWith({ ssrfPolicy: { allowedHostnames: [host] } }, { url });
    expect(listed.status).toBe(200);
  });

  it("refuses bad arguments and a disabled tool", async () => {
    expect((await failureOf(allowLoopback, { url: "ftp://example.com/file" })).code).toBe(
      "INVALID_ARGUMENTS",
    );
    expect((await failureOf(allowLoopback, { url: site.url, maxChars: 10 })).code).toBe("INVALID_ARGUMENTS");
    expect((await failureOf({ enabled: false }, { url: site.url })).code).toBe("UNAVAILABLE");
  });
});

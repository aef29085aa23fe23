import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { GatewayClient } from "@openclaw/client";
import { type FakeModelServer, type RecordedRequest, startFakeModelServer } from "@openclaw/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GatewayServer, startGatewayServer } from "./index.js";

// The agent drives Debian's Chromium through the `browser` tool: a loopback page, a scripted model, the real gateway.
const TOKEN = "b".repeat(64);
/** The Chromium the test preflight installed (scripts/preflight.mjs); no test downloads one. */
const CHROMIUM_PATH = process.env.OPENCLAW_CHROMIUM_PATH ?? "/usr/bin/chromium";
const PAGE = `<!doctype html><html><head><title>Browser test</title>
<style>html,body{margin:0;height:100%;background:#00ff00}</style></head><body>
<p id="status">Waiting for a click</p>
<button onclick="document.getElementById('status').textContent='Clicked!';document.documentElement.style.background='#ff0000';document.body.style.background='#ff0000'">Press me</button>
</body></html>`;

let stateDir: string;
let model: FakeModelServer;
let site: Server;
let siteUrl: string;
let siteHits: number;
let gateway: GatewayServer | undefined;
let client: GatewayClient | undefined;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-browser-e2e-"));
  model = await startFakeModelServer();
  siteHits = 0;
  site = createServer((_request, response) => {
    siteHits += 1;
    response.setHeader("content-type", "text/html");
    response.end(PAGE);
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  const address = site.address();
  if (typeof address !== "object" || address === null) throw new Error("no address");
  siteUrl = `http://127.0.0.1:${address.port}/`;
});

afterEach(async () => {
  await client?.close();
  client = undefined;
  await gateway?.close();
  gateway = undefined;
  // Every Chromium of this test's state dir is gone once the gateway closed.
  expect(chromiumPidsUsing(stateDir)).toEqual([]);
  await new Promise<void>((resolve) => site.close(() => resolve()));
  await model.close();
  await rm(stateDir, { recursive: true, force: true });
});

function chromiumPidsUsing(dir: string): string[] {
  try {
    return execFileSync("pgrep", ["-f", "--", `--user-data-dir=${dir}`], { encoding: "utf8" })
      .trim()
      .split("\n")
      .filter(Boolean);
  } catch {
    return [];
  }
}

async function start(browser: Record<string, unknown>): Promise<GatewayClient> {
  const config = {
    models: {
      providers: {
        fake: {
          baseUrl: model.baseUrlFor("openai-completions"),
          apiKey: "k",
          api: "openai-completions",
          models: [{ id: "instant", input: ["text", "image"] }],
        },
      },
    },
    agents: { defaults: { model: { primary: "fake/instant" } } },
    // A user's config usually omits executablePath: chromium on PATH is found.
    browser: { executablePath: CHROMIUM_PATH, ...browser },
  };
  await writeFile(join(stateDir, "openclaw.json"), JSON.stringify(config));
  gateway = await startGatewayServer(0, { stateDir, env: {}, auth: { mode: "token", token: TOKEN } });
  client = new GatewayClient({ url: gateway.url, token: TOKEN });
  await client.connect();
  return client;
}

function toolMessages(request: RecordedRequest): string[] {
  const messages: { role: string; content: unknown }[] = request.body?.messages ?? [];
  return messages
    .filter((message) => message.role === "tool")
    .map((message) =>
      typeof message.content === "string" ? message.content : JSON.stringify(message.content),
    );
}

/** The PNG's width, height and top-left pixel (the first pixel of the first row is stored unfiltered). */
function decodePng(png: Buffer): { width: number; height: number; topLeft: number[] } {
  expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const colourType = png[25];
  const idat: Buffer[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("latin1", offset + 4, offset + 8);
    if (type === "IDAT") idat.push(png.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const channels = colourType === 6 ? 4 : 3;
  return { width, height, topLeft: [...raw.subarray(1, 1 + channels)].slice(0, 3) };
}

describe("the browser tool", () => {
  it("opens a loopback page, clicks a button by its snapshot ref, reads the new text and takes a screenshot", async () => {
    const operator = await start({ ssrfPolicy: { allowedHostnames: ["127.0.0.1"] } });
    model.setDefaultReply((request) => {
      const seen = toolMessages(request);
      const call = (name: string, args: Record<string, unknown>) => ({
        toolCalls: [{ id: `call_${seen.length}`, name, arguments: args }],
      });
      switch (seen.length) {
        case 0:
          return call("browser", { action: "open", targetUrl: siteUrl });
        case 1:
          return call("browser", { action: "snapshot" });
        case 2: {
          const ref = /button \\?"Press me\\?" \[ref=(e\d+)\]/.exec(seen[1] ?? "")?.[1];
          return call("browser", { action: "act", kind: "click", ref: ref ?? "missing" });
        }
        case 3:
          return call("browser", { action: "snapshot" });
        case 4:
          return call("browser", { action: "screenshot" });
        default:
          return { text: "done browsing" };
      }
    });
    const sent = await operator.request("chat.send", {
      sessionKey: "agent:main:browser",
      message: "press the button",
      idempotencyKey: "browser-1",
    });
    await operator.request("agent.wait", { runId: sent.runId, timeoutMs: 50_000 });
    const last = model.requests.at(-1);
    if (!last) throw new Error("the model was never called");
    const results = toolMessages(last);
    expect(results).toHaveLength(5);
    expect(results[0]).toMatch(/"suggestedTargetId":"t\d+"/);
    expect(results[1]).toContain("Waiting for a click");
    expect(results[2]).toContain('"ok":true');
    expect(results[3]).toContain("Clicked!");
    expect(results[3]).not.toContain("Waiting for a click");

    const path = /\\?"path\\?":\\?"([^"\\]+\.png)/.exec(results[4] ?? "")?.[1];
    if (!path) throw new Error(`no screenshot path in ${results[4]?.slice(0, 300)}`);
    const png = await readFile(path);
    expect(png.byteLength).toBeGreaterThan(500);
    expect(png.byteLength).toBeLessThan(10 * 1024 * 1024);
    const decoded = decodePng(png);
    expect(decoded.width).toBeGreaterThan(100);
    expect(decoded.height).toBeGreaterThan(100);
    // The click turned the page red; before it, it was green.
    expect(decoded.topLeft).toEqual([255, 0, 0]);

    // The CDP endpoint Chromium opened listens on loopback only.
    const status = (await operator.request("browser.request", { method: "GET", path: "/" })) as {
      running: boolean;
      cdpPort: number;
    };
    // browser.request drives the main agent's profiles: the one the agent started.
    expect(status.running).toBe(true);
    const portFile = await readFile(
      join(stateDir, "browser", "main", "openclaw", "user-data", "DevToolsActivePort"),
      "utf8",
    );
    const cdpPort = Number(portFile.split("\n")[0]);
    const listeners = async (table: string) =>
      (await readFile(table, "utf8").catch(() => ""))
        .split("\n")
        .slice(1)
        .map((line) => line.trim().split(/\s+/))
        .filter(
          (fields) => fields[3] === "0A" && Number.parseInt(fields[1]?.split(":")[1] ?? "", 16) === cdpPort,
        );
    expect(status.cdpPort).toBe(cdpPort);
    const v4 = await listeners("/proc/net/tcp");
    expect(v4.length).toBeGreaterThan(0);
    for (const fields of v4) expect(fields[1]?.split(":")[0]).toBe("0100007F");
    expect(await listeners("/proc/net/tcp6")).toEqual([]);
  });

  it("refuses a navigation to a loopback or private address by default", async () => {
    const operator = await start({});
    await expect(
      operator.request("browser.request", { method: "POST", path: "/tabs/open", body: { url: siteUrl } }),
    ).rejects.toMatchObject({
      code: "INVALID_REQUEST",
      message: expect.stringMatching(/loopback.*browser\.ssrfPolicy/),
    });
    await expect(
      operator.request("browser.request", {
        method: "POST",
        path: "/tabs/open",
        body: { url: "http://10.1.2.3/" },
      }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/private address/) });
    expect(siteHits).toBe(0);
  });
});

import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type BrowserControl, createBrowserControl } from "./browser-control.js";

// Real Chromium (Debian's, from PATH) driven through the control routes, against two loopback servers: 127.0.0.1 is
// allowed by the policy, 127.0.0.2 (the same machine, another loopback address) is not.
let stateDir: string;
let control: BrowserControl | undefined;
let allowed: Server;
let denied: Server;
let allowedUrl: string;
let deniedUrl: string;
let deniedHits: string[];

async function listen(server: Server, host: string): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("no address");
  return `http://${host}:${address.port}`;
}

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-browser-control-"));
  deniedHits = [];
  denied = createServer((request, response) => {
    deniedHits.push(request.url ?? "");
    response.end("private");
  });
  deniedUrl = await listen(denied, "127.0.0.2");
  allowed = createServer((request, response) => {
    if (request.url === "/redirect") {
      response.writeHead(302, { location: `${deniedUrl}/after-redirect` });
      response.end();
      return;
    }
    response.setHeader("content-type", "text/html");
    response.end(`<!doctype html><title>Form</title><label>Name <input id="name"></label>
<select aria-label="Size"><option>small</option><option>large</option></select>
<img src="${deniedUrl}/pixel.png" alt="tracker">`);
  });
  allowedUrl = await listen(allowed, "127.0.0.1");
  control = createBrowserControl({
    stateDir,
    settings: () => ({
      // The Chromium the test preflight installed, as the other browser tests use it.
      executablePath: process.env.OPENCLAW_CHROMIUM_PATH ?? "/usr/bin/chromium",
      ssrfPolicy: { allowedHostnames: ["127.0.0.1"] },
    }),
  });
});

afterEach(async () => {
  await control?.close();
  control = undefined;
  expect(chromiumPidsUsing(stateDir)).toEqual([]);
  await Promise.all([allowed, denied].map((server) => new Promise((resolve) => server.close(resolve))));
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

async function call(method: "GET" | "POST" | "DELETE", path: string, body?: unknown, agentId?: string) {
  if (!control) throw new Error("no control");
  return control.request({ method, path, body, ...(agentId ? { agentId } : {}) });
}

describe("browser control over real Chromium", () => {
  it("aborts a page's request to an address the policy refuses, and a redirect into one", async () => {
    const opened = await call("POST", "/tabs/open", { url: `${allowedUrl}/form` });
    expect(opened.status).toBe(200);
    const redirected = await call("POST", "/navigate", { url: `${allowedUrl}/redirect` });
    expect(redirected.status).toBe(403);
    expect(redirected.body).toMatchObject({ code: "NAVIGATION_BLOCKED" });
    expect(String(redirected.body.error)).toContain("browser.ssrfPolicy");
    // Neither the image on the page nor the redirect target reached the refused server.
    expect(deniedHits).toEqual([]);
  });

  it("types and selects by ref, and refuses a ref that is not in the latest snapshot", async () => {
    await call("POST", "/tabs/open", { url: `${allowedUrl}/form` });
    const snapshot = await call("GET", "/snapshot");
    const text = String(snapshot.body.snapshot);
    const input = /textbox "Name"[^\n]* \[ref=(e\d+)\]/.exec(text)?.[1];
    const select = /combobox "Size" \[ref=(e\d+)\]/.exec(text)?.[1];
    expect(input && select).toBeTruthy();
    expect((await call("POST", "/act", { kind: "type", ref: input, text: "Ada" })).status).toBe(200);
    expect((await call("POST", "/act", { kind: "select", ref: select, values: ["large"] })).status).toBe(200);
    const after = String((await call("GET", "/snapshot")).body.snapshot);
    expect(after).toMatch(/textbox "Name"[^\n]* \[ref=e\d+\]: Ada/);
    expect(after).toMatch(/option "large" \[selected\]/);
    const stale = await call("POST", "/act", { kind: "click", ref: "e9999" });
    expect(stale.status).toBe(404);
    expect(stale.body).toMatchObject({ code: "REF_NOT_FOUND" });
    const capped = await control?.request({ method: "GET", path: "/snapshot", query: { maxChars: "20" } });
    expect(capped?.body.truncated).toBe(true);
    expect(String(capped?.body.snapshot)).toMatch(/^.{20}\n\[snapshot truncated at 20 of \d+ characters/s);
    const shallow = await control?.request({ method: "GET", path: "/snapshot", query: { depth: "1" } });
    expect(String(shallow?.body.snapshot)).not.toContain("option");
  });

  it("gives each agent its own Chromium and user-data dir", async () => {
    await call("POST", "/start", {}, "alpha");
    await call("POST", "/start", {}, "beta");
    const alpha = await call("GET", "/", undefined, "alpha");
    const beta = await call("GET", "/", undefined, "beta");
    expect(alpha.body.running).toBe(true);
    expect(beta.body.running).toBe(true);
    expect(alpha.body.pid).not.toBe(beta.body.pid);
    expect(alpha.body.userDataDir).toBe(join(stateDir, "browser", "alpha", "openclaw", "user-data"));
    expect(beta.body.userDataDir).toBe(join(stateDir, "browser", "beta", "openclaw", "user-data"));
    expect(chromiumPidsUsing(stateDir).length).toBeGreaterThanOrEqual(2);
    const stopped = await call("POST", "/stop", {}, "alpha");
    expect(stopped.body).toMatchObject({ stopped: true });
    expect((await call("GET", "/", undefined, "alpha")).body.running).toBe(false);
  });
});

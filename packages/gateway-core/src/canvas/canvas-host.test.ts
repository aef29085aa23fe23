import { mkdir, symlink, truncate, writeFile } from "node:fs/promises";
import { get } from "node:http";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useIntegrationEnv } from "../integration/harness.js";
import { MAX_CANVAS_FILE_BYTES } from "./canvas-files.js";
import { MAX_LIVE_RELOAD_CLIENTS } from "./canvas-live-reload.js";
import { LIVE_RELOAD_PATH } from "./canvas-paths.js";

const env = useIntegrationEnv();

async function canvasGateway(config: Record<string, unknown> = {}) {
  const stateDir = await env.makeStateDir();
  const root = join(stateDir, "workspace", "canvas");
  await mkdir(join(root, "deck"), { recursive: true });
  await writeFile(join(root, "index.html"), "<html><body><h1>home</h1></body></html>");
  await writeFile(join(root, "deck", "index.html"), "<!doctype html><p>deck</p>");
  await writeFile(join(root, "style.css"), "h1 { color: red }");
  await writeFile(join(stateDir, "secret.txt"), "not for the canvas");
  const gateway = await env.start({ stateDir, config });
  return { gateway, root, stateDir, base: gateway.server.httpUrl };
}

/** Reads a live-reload stream until it has seen `count` reload events. */
async function reloads(response: Response, count: number): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let seen = "";
  while ((seen.match(/event: reload/g) ?? []).length < count) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended after: ${seen}`);
    seen += decoder.decode(value);
  }
  await reader.cancel();
  return seen;
}

describe("canvas host", () => {
  it("serves the workspace canvas folder under /__openclaw__/canvas/ with the client script and a sandbox", async () => {
    const { base } = await canvasGateway();
    const page = await fetch(`${base}/__openclaw__/canvas/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toMatch(/^sandbox allow-scripts/);
    expect(page.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    const html = await page.text();
    expect(html).toMatch(/<h1>home<\/h1><script data-openclaw-canvas>[\s\S]*<\/script><\/body>/);
    expect(html).toContain(LIVE_RELOAD_PATH);
    const css = await fetch(`${base}/__openclaw__/canvas/style.css`);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(await css.text()).toBe("h1 { color: red }");
    const folder = await fetch(`${base}/__openclaw__/canvas/deck`, { redirect: "manual" });
    expect(folder.status).toBe(308);
    expect(folder.headers.get("location")).toBe("/__openclaw__/canvas/deck/");
    const deck = await fetch(`${base}/__openclaw__/canvas/deck/`);
    expect(await deck.text()).toContain("<p>deck</p><script data-openclaw-canvas>");
  });

  it("never leaves the folder: encoded traversal, symlinks out, oversized files", async () => {
    const { base, root, stateDir } = await canvasGateway();
    for (const path of ["..%2F..%2Fsecret.txt", "%2e%2e/%2e%2e/secret.txt", "..%5c..%5csecret.txt", "%00"]) {
      const response = await fetch(`${base}/__openclaw__/canvas/${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain("not for the canvas");
    }
    await symlink(join(stateDir, "secret.txt"), join(root, "escape.txt"));
    expect((await fetch(`${base}/__openclaw__/canvas/escape.txt`)).status).toBe(404);
    await symlink("style.css", join(root, "alias.css"));
    expect(await (await fetch(`${base}/__openclaw__/canvas/alias.css`)).text()).toBe("h1 { color: red }");
    await writeFile(join(root, "big.bin"), "");
    await truncate(join(root, "big.bin"), MAX_CANVAS_FILE_BYTES + 1);
    const big = await fetch(`${base}/__openclaw__/canvas/big.bin`);
    expect(big.status).toBe(413);
    expect(await big.text()).toContain("16 MiB");
    const post = await fetch(`${base}/__openclaw__/canvas/index.html`, { method: "POST", body: "x" });
    expect(post.status).toBe(405);
  });

  it("live reload: an edit under the folder sends one reload to each listening page", async () => {
    const { base, root } = await canvasGateway();
    const first = await fetch(`${base}${LIVE_RELOAD_PATH}`, { headers: { origin: "null" } });
    const second = await fetch(`${base}${LIVE_RELOAD_PATH}`);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const both = Promise.all([reloads(first, 1), reloads(second, 1)]);
    await writeFile(join(root, "deck", "index.html"), "<p>deck, edited</p>");
    const [one, two] = await both;
    expect(one).toContain("event: reload");
    expect(two).toContain("event: reload");
  });

  it("live reload: at most 64 pages listen; a closed page frees its place; the gateway's stop ends every stream", async () => {
    const { base, gateway } = await canvasGateway();
    const streams = await Promise.all(
      Array.from({ length: MAX_LIVE_RELOAD_CLIENTS }, () => fetch(`${base}${LIVE_RELOAD_PATH}`)),
    );
    expect(streams.map((stream) => stream.status)).toEqual(streams.map(() => 200));
    const over = await fetch(`${base}${LIVE_RELOAD_PATH}`);
    expect(over.status).toBe(503);
    expect(await over.text()).toContain("too many pages follow live reload");
    await streams[0]?.body?.cancel();
    await expect
      .poll(() => gateway.server.runtime.canvasHost.liveReload.clientCount)
      .toBe(MAX_LIVE_RELOAD_CLIENTS - 1);
    const again = await fetch(`${base}${LIVE_RELOAD_PATH}`);
    expect(again.status).toBe(200);
    await gateway.server.close({ reason: "test finished" });
    // Every open stream ended with the gateway instead of holding its stop.
    const ended = await Promise.all(streams.slice(1).map((stream) => stream.text().then(() => true)));
    expect(ended.every(Boolean)).toBe(true);
  });

  it("keeps the Control UI's rules: foreign origins refused, proxied requests need the credential", async () => {
    const { base, gateway } = await canvasGateway();
    const foreign = await fetch(`${base}/__openclaw__/canvas/`, {
      headers: { origin: "https://evil.example" },
    });
    expect(foreign.status).toBe(403);
    // A sandboxed page's opaque origin may only follow live reload, never read files.
    expect((await fetch(`${base}/__openclaw__/canvas/`, { headers: { origin: "null" } })).status).toBe(403);
    // fetch() cannot set Host: a DNS-rebinding page's request, sent raw.
    const rebound = await new Promise<number | undefined>((resolve, reject) => {
      get(`${base}/__openclaw__/canvas/`, { headers: { host: "evil.example" } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      }).on("error", reject);
    });
    expect(rebound).toBe(421);
    const proxied = await fetch(`${base}/__openclaw__/canvas/`, {
      headers: { "x-forwarded-for": "203.0.113.9" },
    });
    expect(proxied.status).toBe(401);
    const authorized = await fetch(`${base}/__openclaw__/canvas/`, {
      headers: { "x-forwarded-for": "203.0.113.9", authorization: `Bearer ${gateway.token}` },
    });
    expect(authorized.status).toBe(200);
    // A capability URL stands in for the credential (a web view or iframe cannot send a header), for files and events.
    const capability = new URL(gateway.server.runtime.canvasHost.surfaceUrl(base).url).pathname;
    const scoped = await fetch(`${base}${capability}/__openclaw__/canvas/style.css`, {
      headers: { "x-forwarded-for": "203.0.113.9" },
    });
    expect(await scoped.text()).toBe("h1 { color: red }");
    const outside = await fetch(`${base}${capability}/v1/models`, {
      headers: { "x-forwarded-for": "203.0.113.9" },
    });
    expect(outside.status).toBe(404);
  });

  it("serves the A2UI renderer page and OpenClaw's bundle paths", async () => {
    const { base } = await canvasGateway();
    const page = await fetch(`${base}/__openclaw__/a2ui/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(await page.text()).toContain('<script src="a2ui.bundle.js"></script>');
    const bare = await fetch(`${base}/__openclaw__/a2ui?src=/x.jsonl`, { redirect: "manual" });
    expect(bare.headers.get("location")).toBe("/__openclaw__/a2ui/?src=/x.jsonl");
    for (const bundle of ["a2ui.bundle.js", "a2ui-v0.9.bundle.js"]) {
      const script = await fetch(`${base}/__openclaw__/a2ui/${bundle}`);
      expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
      expect(await script.text()).toContain('customElements.define("openclaw-a2ui-host"');
    }
    expect((await fetch(`${base}/__openclaw__/a2ui/other.js`)).status).toBe(404);
  });

  it("canvasHost.root moves the folder; the host switched off answers 404 naming the key", async () => {
    const other = await env.makeStateDir();
    await writeFile(join(other, "index.html"), "<p>elsewhere</p>");
    const moved = await canvasGateway({ canvasHost: { root: other, liveReload: false } });
    const html = await (await fetch(`${moved.base}/__openclaw__/canvas/`)).text();
    expect(html).toContain("<p>elsewhere</p>");
    expect(html).not.toContain("EventSource(prefix");
    expect((await fetch(`${moved.base}${LIVE_RELOAD_PATH}`)).status).toBe(404);

    const off = await canvasGateway({
      plugins: { entries: { canvas: { config: { host: { enabled: false } } } } },
    });
    const refused = await fetch(`${off.base}/__openclaw__/canvas/`);
    expect(refused.status).toBe(404);
    expect(await refused.text()).toContain("plugins.entries.canvas.config.host.enabled");
  });
});

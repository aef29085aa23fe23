import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useIntegrationEnv } from "./harness.js";

const env = useIntegrationEnv();

const PAGE = "<!doctype html><title>Control UI</title>";
const SCRIPT = "console.log('ui')";

/** A stand-in for the built UI: the gateway serves any folder, so the test need not build the real package. */
async function fakeUiFolder(): Promise<string> {
  const root = join(await env.makeStateDir(), "ui");
  await mkdir(join(root, "assets"), { recursive: true });
  await writeFile(join(root, "index.html"), PAGE);
  await writeFile(join(root, "assets", "index-Ab12Cd34.js"), SCRIPT);
  return root;
}

async function get(url: string, init: RequestInit = {}) {
  const response = await fetch(url, { redirect: "manual", ...init });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

describe("Control UI serving", () => {
  it("serves the page and hashed assets at the root with headers that forbid framing", async () => {
    const { server } = await env.start({ controlUiRoot: await fakeUiFolder() });

    const page = await get(`${server.httpUrl}/`);
    expect(page.status).toBe(200);
    expect(page.body).toBe(PAGE);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("cache-control")).toBe("no-cache");

    const asset = await get(`${server.httpUrl}/assets/index-Ab12Cd34.js`);
    expect(asset.body).toBe(SCRIPT);
    expect(asset.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(asset.headers.get("cache-control")).toContain("immutable");

    // A deep link into the single-page app gets the page; a missing asset is a plain 404.
    expect((await get(`${server.httpUrl}/sessions`)).body).toBe(PAGE);
    expect((await get(`${server.httpUrl}/assets/missing.js`)).status).toBe(404);
    // The API routes keep priority over the UI.
    const health = await get(`${server.httpUrl}/v1/health`);
    expect(health.status).toBe(401);
  });

  it("never serves a file outside the UI folder", async () => {
    const root = await fakeUiFolder();
    await writeFile(join(root, "..", "secret.txt"), "TOPSECRET");
    const { server } = await env.start({ controlUiRoot: root });
    for (const path of [
      "/..%2fsecret.txt",
      "/%2e%2e/secret.txt",
      "/assets/..%2f..%2fsecret.txt",
      "/../secret.txt",
    ]) {
      const response = await get(`${server.httpUrl}${path}`);
      expect(response.body, path).not.toContain("TOPSECRET");
      expect(response.status, path).toBe(404);
    }
  });

  it("works at a non-root base path and leaves other paths alone", async () => {
    const { server } = await env.start({
      controlUiRoot: await fakeUiFolder(),
      config: { gateway: { controlUi: { basePath: "/openclaw/" } } },
    });
    expect(server.controlUiUrl).toBe(`${server.httpUrl}/openclaw/`);
    const bare = await get(`${server.httpUrl}/openclaw`);
    expect(bare.status).toBe(308);
    expect(bare.headers.get("location")).toBe("/openclaw/");
    expect((await get(`${server.httpUrl}/openclaw/`)).body).toBe(PAGE);
    expect((await get(`${server.httpUrl}/openclaw/assets/index-Ab12Cd34.js`)).body).toBe(SCRIPT);
    const outside = await get(`${server.httpUrl}/`);
    expect(outside.status).toBe(404);
    expect(outside.headers.get("content-type")).toContain("application/json");
  });

  it("is off when gateway.controlUi.enabled is false and refuses writes", async () => {
    const root = await fakeUiFolder();
    const off = await env.start({
      controlUiRoot: root,
      config: { gateway: { controlUi: { enabled: false } } },
    });
    expect((await get(`${off.server.httpUrl}/`)).status).toBe(404);
    expect(off.server.controlUiUrl).toBeUndefined();

    const on = await env.start({ controlUiRoot: root });
    const post = await get(`${on.server.httpUrl}/`, { method: "POST", body: "x" });
    expect(post.status).toBe(405);
  });
});

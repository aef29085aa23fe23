import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useIntegrationEnv } from "../integration/harness.js";

const env = useIntegrationEnv();

/** A valid one-image ICO (1x1, 32-bit): the directory, the BMP header, one BGRA pixel and its AND mask row. */
function tinyIco(): Buffer {
  const directory = Buffer.from([0, 0, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 32, 0, 48, 0, 0, 0, 22, 0, 0, 0]);
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(1, 4);
  header.writeInt32LE(2, 8);
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  return Buffer.concat([directory, header, Buffer.from([0x0c, 0x41, 0xc2, 0xff]), Buffer.alloc(4)]);
}

async function uiWithIcon(): Promise<{ root: string; icon: Buffer }> {
  const root = join(await env.makeStateDir(), "ui");
  await mkdir(root, { recursive: true });
  const icon = tinyIco();
  await writeFile(join(root, "index.html"), '<!doctype html><link rel="icon" href="./favicon.ico" />');
  await writeFile(join(root, "favicon.ico"), icon);
  return { root, icon };
}

describe("GET /favicon.ico (issue 17)", () => {
  it("answers with the Control UI's icon, without a credential, under the UI's caching and security rules", async () => {
    const { root, icon } = await uiWithIcon();
    const { server } = await env.start({ controlUiRoot: root });

    const answer = await fetch(`${server.httpUrl}/favicon.ico`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("image/x-icon");
    expect(answer.headers.get("cache-control")).toBe("no-cache");
    expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await answer.arrayBuffer())).toEqual(icon);

    const head = await fetch(`${server.httpUrl}/favicon.ico`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(icon.length));
  });

  it("is served at the origin's root when the UI has a base path, as well as under it", async () => {
    const { root, icon } = await uiWithIcon();
    const { server } = await env.start({
      controlUiRoot: root,
      config: { gateway: { controlUi: { basePath: "/ops" } } },
    });
    for (const path of ["/favicon.ico", "/ops/favicon.ico"]) {
      const answer = await fetch(`${server.httpUrl}${path}`);
      expect(answer.status, path).toBe(200);
      expect(Buffer.from(await answer.arrayBuffer())).toEqual(icon);
    }
  });

  it("is refused to a foreign origin like every other route", async () => {
    const { root } = await uiWithIcon();
    const { server } = await env.start({ controlUiRoot: root });
    const answer = await fetch(`${server.httpUrl}/favicon.ico`, {
      headers: { origin: "https://evil.example" },
    });
    expect(answer.status).toBe(403);
  });

  it("is a plain 404 when the Control UI is disabled: the gateway serves no UI files at all then", async () => {
    const { root } = await uiWithIcon();
    const { server } = await env.start({
      controlUiRoot: root,
      config: { gateway: { controlUi: { enabled: false } } },
    });
    const answer = await fetch(`${server.httpUrl}/favicon.ico`);
    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({
      error: {
        code: "NOT_FOUND",
        message: "no route for GET /favicon.ico: the WebSocket API is on this port",
      },
    });
  });
});

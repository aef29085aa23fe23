import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tinyPng } from "./__fixtures__/media-bytes.js";
import { loadMediaSource } from "./media-source.js";

let root: string;
let workspace: string;
let outside: string;
let server: Server | undefined;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "media-source-"));
  workspace = path.join(root, "workspace");
  outside = path.join(root, "outside");
  await mkdir(workspace);
  await mkdir(outside);
});
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  await rm(root, { recursive: true, force: true });
});

const options = (maxBytes = 1024 * 1024) => ({ maxBytes, allowedRoots: [workspace], fetch });

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("loadMediaSource", () => {
  it("reads a path, a relative path and a file:// URL inside the allowed roots, sniffing the content", async () => {
    const file = path.join(workspace, "chart.dat");
    await writeFile(file, tinyPng());
    for (const source of [file, "chart.dat", pathToFileURL(file).href]) {
      const loaded = await loadMediaSource(source, options());
      expect(loaded).toMatchObject({ mimeType: "image/png", kind: "image", fileName: "chart.dat" });
      expect(loaded.data).toEqual(tinyPng());
    }
  });

  it("refuses paths outside the roots, through .. or a symlink", async () => {
    await writeFile(path.join(outside, "secret.txt"), "secret");
    await symlink(path.join(outside, "secret.txt"), path.join(workspace, "link.txt"));
    await expect(loadMediaSource(path.join(outside, "secret.txt"), options())).rejects.toMatchObject({
      code: "MEDIA_SOURCE_OUTSIDE_ROOTS",
    });
    await expect(loadMediaSource("../outside/secret.txt", options())).rejects.toMatchObject({
      code: "MEDIA_SOURCE_OUTSIDE_ROOTS",
    });
    await expect(loadMediaSource("link.txt", options())).rejects.toMatchObject({
      code: "MEDIA_SOURCE_OUTSIDE_ROOTS",
    });
    await expect(loadMediaSource("missing.png", options())).rejects.toMatchObject({
      code: "MEDIA_SOURCE_NOT_FOUND",
    });
  });

  it("refuses a file over maxBytes before reading it", async () => {
    await writeFile(path.join(workspace, "big.bin"), new Uint8Array(2048));
    await expect(loadMediaSource("big.bin", options(1024))).rejects.toMatchObject({
      code: "MEDIA_TOO_LARGE",
      sizeBytes: 2048,
    });
  });

  it("decodes a data: URL and refuses one over maxBytes by its length", async () => {
    const png = Buffer.from(tinyPng()).toString("base64");
    const loaded = await loadMediaSource(`data:image/png;base64,${png}`, options());
    expect(loaded).toMatchObject({ mimeType: "image/png", kind: "image", fileName: "media.png" });
    const csv = await loadMediaSource("data:text/csv,a%2Cb%0A1%2C2", options());
    expect(csv).toMatchObject({ mimeType: "text/csv", kind: "document" });
    expect(new TextDecoder().decode(csv.data)).toBe("a,b\n1,2");
    await expect(
      loadMediaSource(`data:image/png;base64,${"A".repeat(4000)}`, options(1024)),
    ).rejects.toMatchObject({
      code: "MEDIA_TOO_LARGE",
    });
    await expect(loadMediaSource("data:text/plain,100%", options())).rejects.toMatchObject({
      code: "MEDIA_SOURCE_INVALID",
    });
    await expect(loadMediaSource("data:image/png;base64", options())).rejects.toMatchObject({
      code: "MEDIA_SOURCE_INVALID",
    });
  });

  it("fetches http(s) through the given fetch, naming the file from content-disposition or the URL", async () => {
    const base = await serve((req, res) => {
      if (req.url === "/named") res.setHeader("content-disposition", 'attachment; filename="report.png"');
      if (req.url?.startsWith("/missing")) {
        res.statusCode = 404;
        return res.end();
      }
      res.end(Buffer.from(tinyPng()));
    });
    const seen: string[] = [];
    const guardedFetch = (url: string, init?: RequestInit) => {
      seen.push(url);
      return fetch(url, init);
    };
    const named = await loadMediaSource(`${base}/named`, { ...options(), fetch: guardedFetch });
    expect(named).toMatchObject({ fileName: "report.png", mimeType: "image/png" });
    const fromUrl = await loadMediaSource(`${base}/images/cat%20pic.png?token=secret`, {
      ...options(),
      fetch: guardedFetch,
    });
    expect(fromUrl.fileName).toBe("cat pic.png");
    expect(seen).toHaveLength(2);
    const failure = await loadMediaSource(`${base}/missing?token=secret`, options()).catch(
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: "MEDIA_SOURCE_FETCH_FAILED" });
    expect(String((failure as Error).message)).not.toContain("secret");
  });

  it("stops reading a response past maxBytes, with or without content-length", async () => {
    const base = await serve((req, res) => {
      if (req.url === "/chunked") {
        res.write(new Uint8Array(800));
        res.end(new Uint8Array(800));
        return;
      }
      res.end(new Uint8Array(4096));
    });
    await expect(loadMediaSource(`${base}/sized`, options(1024))).rejects.toMatchObject({
      code: "MEDIA_TOO_LARGE",
      sizeBytes: 4096,
    });
    await expect(loadMediaSource(`${base}/chunked`, options(1024))).rejects.toMatchObject({
      code: "MEDIA_TOO_LARGE",
    });
  });

  it("refuses other URL schemes", async () => {
    await expect(loadMediaSource("ftp://example.com/a.png", options())).rejects.toMatchObject({
      code: "MEDIA_SOURCE_INVALID",
    });
  });
});

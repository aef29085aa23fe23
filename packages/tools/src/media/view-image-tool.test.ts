import { symlink, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createTestWorkspace,
  type TestWorkspace,
  toolContext,
  toolErrorOf,
} from "../fs/fs-test-workspace.js";
import type { ImageFetcher } from "./image-source.js";
import { tinyPng } from "./png-fixture.js";
import { createViewImageTool, type ViewImageResult } from "./view-image-tool.js";

let ws: TestWorkspace;
beforeEach(async () => {
  ws = await createTestWorkspace();
});
afterEach(() => ws.cleanup());

const red = tinyPng([255, 0, 0, 255]);
const blue = tinyPng([0, 0, 255, 255]);

let server: Server;
let baseUrl: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === "/blue.png") response.end(blue);
    else response.end("<html>not an image</html>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** What the integrator wires in production is the SSRF-guarded fetch; here plain fetch against a loopback server. */
const loopbackFetch: ImageFetcher = async (url, signal) => {
  const response = await fetch(url, { signal });
  return { data: new Uint8Array(await response.arrayBuffer()) };
};

async function view(args: Record<string, unknown>, fetchImage?: ImageFetcher): Promise<ViewImageResult> {
  return (await createViewImageTool({ ...ws.options, fetchImage }).execute(
    args,
    toolContext(),
  )) as ViewImageResult;
}

const viewError = (args: Record<string, unknown>, fetchImage?: ImageFetcher) =>
  toolErrorOf(view(args, fetchImage));

describe("view_image", () => {
  it("hands a workspace image to the model as image content", async () => {
    await writeFile(path.join(ws.workspace, "shot"), red);
    const result = await view({ path: "shot", prompt: "what colour?" });
    expect(result.images).toEqual([
      { source: "shot", mediaType: "image/png", bytes: red.length, data: red.toString("base64") },
    ]);
    const output = createViewImageTool(ws.options).toModelOutput?.(result);
    expect(output).toEqual({
      type: "content",
      value: [
        { type: "text", text: expect.stringContaining("Loaded 1 image") },
        { type: "image-data", data: red.toString("base64"), mediaType: "image/png" },
      ],
    });
  });

  it("loads several images from paths, file: and data: URLs, dropping duplicates", async () => {
    await writeFile(path.join(ws.workspace, "red.png"), red);
    await writeFile(path.join(ws.workspace, "blue.png"), blue);
    const result = await view({
      path: "red.png",
      paths: [
        "@red.png",
        pathToFileURL(path.join(ws.workspace, "blue.png")).href,
        `data:image/png;base64,${red.toString("base64")}`,
      ],
    });
    expect(result.images.map((image) => image.source)).toEqual([
      "red.png",
      pathToFileURL(path.join(ws.workspace, "blue.png")).href,
      "data: URL",
    ]);
  });

  it("fetches URLs only through the injected fetcher", async () => {
    const refused = await viewError({ path: `${baseUrl}/blue.png` });
    expect(refused.code).toBe("NOT_CONFIGURED");
    const result = await view({ path: `${baseUrl}/blue.png` }, loopbackFetch);
    expect(result.images[0]).toMatchObject({ mediaType: "image/png", data: blue.toString("base64") });
    const notImage = await viewError({ path: `${baseUrl}/page` }, loopbackFetch);
    expect(notImage.code).toBe("UNSUPPORTED_CONTENT");
  });

  it("refuses files that are not images whatever their name, and unsupported schemes", async () => {
    await writeFile(path.join(ws.workspace, "fake.png"), "text pretending");
    expect((await viewError({ path: "fake.png" })).code).toBe("UNSUPPORTED_CONTENT");
    expect((await viewError({ path: "ftp://example.com/a.png" })).message).toContain(
      "Unsupported image reference",
    );
    expect((await viewError({ path: "missing.png" })).code).toBe("NOT_FOUND");
    expect((await viewError({})).code).toBe("INVALID_ARGUMENTS");
  });

  it("enforces maxImages and maxBytesMb", async () => {
    await writeFile(path.join(ws.workspace, "a.png"), red);
    await writeFile(path.join(ws.workspace, "b.png"), blue);
    const tooMany = await viewError({ paths: ["a.png", "b.png"], maxImages: 1 });
    expect(tooMany.message).toContain("Too many images: 2 given, maxImages is 1");
    const tooBig = await viewError({ path: "a.png", maxBytesMb: 10 / (1024 * 1024) });
    expect(tooBig.code).toBe("TOO_LARGE");
  });

  it("stays inside the workspace unless workspaceOnly is false", async () => {
    await writeFile(path.join(ws.outside, "secret.png"), red);
    await symlink(path.join(ws.outside, "secret.png"), path.join(ws.workspace, "link.png"));
    for (const target of [
      "../outside/secret.png",
      "link.png",
      pathToFileURL(path.join(ws.outside, "secret.png")).href,
    ]) {
      expect((await viewError({ path: target })).code).toBe("PATH_OUTSIDE_WORKSPACE");
    }
    ws.policy.workspaceOnly = false;
    expect((await view({ path: "../outside/secret.png" })).images).toHaveLength(1);
  });
});

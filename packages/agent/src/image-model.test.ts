import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { userImages } from "@openclaw/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerConfig, server, startRuntime, useFakeModelServer } from "./runtime-test-env.js";
import type { RunAttachment } from "./types.js";

useFakeModelServer();

/** A 1×1 transparent PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
let dir: string;
let photo: RunAttachment;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "agent-image-model-"));
  const path = join(dir, "photo.png");
  await writeFile(path, PNG);
  photo = { kind: "image", mimeType: "image/png", path, sizeBytes: PNG.byteLength, fileName: "photo.png" };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function config(imageModel: unknown, agentImageModel?: unknown) {
  const base = providerConfig(server, "openai-completions", [
    { id: "text-only", input: ["text"] },
    { id: "seer", input: ["text", "image"] },
    { id: "seer-2", input: ["text", "image"] },
  ]);
  return {
    ...base,
    agents: {
      defaults: { model: { primary: "fake/text-only" }, imageModel },
      ...(agentImageModel ? { list: [{ id: "main", imageModel: agentImageModel }] } : {}),
    },
  } as ReturnType<typeof providerConfig>;
}

describe("agents.defaults.imageModel", () => {
  it("a turn with an image goes to the image model when the agent's model cannot see images", async () => {
    const { runtime } = startRuntime(config("fake/seer"));
    const result = await runtime.submit({ sessionKey: "s1", message: "what is this?", attachments: [photo] })
      .done;
    expect(result).toMatchObject({ status: "ok", model: "fake/seer" });
    const [request] = await server.waitForRequests(1);
    expect(request?.model).toBe("seer");
    expect(userImages(request as NonNullable<typeof request>)).toHaveLength(1);
  });

  it("text-only turns stay on the agent's model", async () => {
    const { runtime } = startRuntime(config("fake/seer"));
    const result = await runtime.submit({ sessionKey: "s2", message: "hello" }).done;
    expect(result).toMatchObject({ status: "ok", model: "fake/text-only" });
  });

  it("the agent's own imageModel wins, and a failing image model falls back to its fallbacks, then the agent's", async () => {
    const { runtime } = startRuntime(
      config("fake/seer", { primary: "fake/seer-2", fallbacks: ["fake/seer"] }),
    );
    server.enqueue({ status: 400 }, { text: "a pixel" });
    const result = await runtime.submit({ sessionKey: "s3", message: "look", attachments: [photo] }).done;
    expect(result).toMatchObject({ status: "ok", model: "fake/seer", text: "a pixel" });
    expect(server.requests.map((request) => request.model)).toEqual(["seer-2", "seer"]);
  });
});

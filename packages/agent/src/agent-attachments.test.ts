import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakeApi, lastUserText, userImages } from "@openclaw/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APIS, providerConfig, server, startRuntime, useFakeModelServer } from "./runtime-test-env.js";
import type { RunAttachment } from "./types.js";

useFakeModelServer();

/** A 1×1 transparent PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

let dir: string;
let photoPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "agent-attachments-"));
  photoPath = join(dir, "photo.png");
  await writeFile(photoPath, PNG);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function photo(extra: Partial<RunAttachment> = {}): RunAttachment {
  return {
    kind: "image",
    mimeType: "image/png",
    path: photoPath,
    sizeBytes: PNG.byteLength,
    fileName: "photo.png",
    ...extra,
  };
}

const visionModel = { id: "fake-model", input: ["text", "image"] };

describe.each(APIS as FakeApi[])("%s", (api) => {
  it("hands the turn's image to a vision model as an image part, read from the media store", async () => {
    const { runtime, transcripts } = startRuntime(providerConfig(server, api, [visionModel]));

    const result = await runtime.submit({
      sessionKey: "s1",
      message: "what is this?",
      attachments: [photo()],
    }).done;

    expect(result.status).toBe("ok");
    const [request] = await server.waitForRequests(1);
    const images = userImages(request as NonNullable<typeof request>, { lastOnly: true });
    expect(images).toEqual([{ mediaType: "image/png", base64: PNG.toString("base64"), url: undefined }]);
    expect(lastUserText(request as NonNullable<typeof request>)).toBe("what is this?");
    expect(transcripts.entries.get("s1")?.[0]).toMatchObject({
      role: "user",
      text: "what is this?",
      media: [
        {
          kind: "image",
          path: photoPath,
          mimeType: "image/png",
          fileName: "photo.png",
          sizeBytes: PNG.byteLength,
        },
      ],
    });
  });

  it("replays an earlier turn's image as a note, not as the image again", async () => {
    const { runtime } = startRuntime(providerConfig(server, api, [visionModel]));
    await runtime.submit({ sessionKey: "s2", message: "look", attachments: [photo()] }).done;

    await runtime.submit({ sessionKey: "s2", message: "and now?" }).done;

    const requests = await server.waitForRequests(2);
    const second = requests[1] as NonNullable<(typeof requests)[1]>;
    expect(userImages(second)).toEqual([]);
    expect(JSON.stringify(second.body)).toContain(
      `[image attached earlier: photo.png, stored at ${photoPath}]`,
    );
  });
});

describe("models that cannot see images", () => {
  it("get a note naming the image instead of the image", async () => {
    const { runtime } = startRuntime(
      providerConfig(server, "openai-completions", [{ id: "fake-model", input: ["text"] }]),
    );

    await runtime.submit({ sessionKey: "s3", message: "what is this?", attachments: [photo()] }).done;

    const [request] = await server.waitForRequests(1);
    const recorded = request as NonNullable<typeof request>;
    expect(userImages(recorded)).toEqual([]);
    expect(lastUserText(recorded)).toBe(
      "what is this?\n[image attached: photo.png — the current model cannot see images]",
    );
  });

  it("are checked one by one along the fallback chain", async () => {
    const config = providerConfig(server, "openai-completions", [
      { id: "text-only", input: ["text"] },
      { id: "seer", input: ["text", "image"] },
    ]);
    config.agents = { defaults: { model: { primary: "fake/text-only", fallbacks: ["fake/seer"] } } };
    const { runtime } = startRuntime(config);
    server.enqueue({ status: 400 }, { text: "a transparent pixel" });

    const result = await runtime.submit({ sessionKey: "s4", message: "", attachments: [photo()] }).done;

    expect(result).toMatchObject({ status: "ok", text: "a transparent pixel", model: "fake/seer" });
    const [first, second] = await server.waitForRequests(2);
    expect(first?.model).toBe("text-only");
    expect(userImages(first as NonNullable<typeof first>)).toEqual([]);
    expect(lastUserText(first as NonNullable<typeof first>)).toContain("the current model cannot see images");
    expect(second?.model).toBe("seer");
    expect(userImages(second as NonNullable<typeof second>)).toHaveLength(1);
  });
});

describe("image attachments", () => {
  it("use the caller's bytes when given and record only the reference", async () => {
    const { runtime, transcripts } = startRuntime(
      providerConfig(server, "anthropic-messages", [visionModel]),
    );

    await runtime.submit({
      sessionKey: "s5",
      message: "here",
      attachments: [photo({ path: join(dir, "not-written.png"), data: PNG.toString("base64") })],
    }).done;

    const [request] = await server.waitForRequests(1);
    expect(userImages(request as NonNullable<typeof request>)[0]?.base64).toBe(PNG.toString("base64"));
    const media = transcripts.entries.get("s5")?.[0]?.media;
    expect(media?.[0]).not.toHaveProperty("data");
  });

  it("that are gone from the store, or in a format models cannot take, become notes", async () => {
    const { runtime } = startRuntime(providerConfig(server, "openai-responses", [visionModel]));

    await runtime.submit({
      sessionKey: "s6",
      message: "two pictures",
      attachments: [
        photo({ path: join(dir, "missing.png"), fileName: "missing.png" }),
        photo({ mimeType: "image/heic", fileName: "iphone.heic" }),
      ],
    }).done;

    const [request] = await server.waitForRequests(1);
    const recorded = request as NonNullable<typeof request>;
    expect(userImages(recorded)).toEqual([]);
    expect(lastUserText(recorded)).toBe(
      "two pictures\n[image attached: missing.png — the stored file is gone]\n[image attached: iphone.heic — image/heic cannot be shown to the model]",
    );
  });

  it("of messages collected into one turn all reach the model, each recorded on its own entry", async () => {
    const { runtime, transcripts } = startRuntime(
      providerConfig(server, "openai-completions", [visionModel]),
    );
    // The first answer never ends on its own, so the next two messages surely queue behind it.
    server.enqueue({ chunks: ["busy"], hang: true }, { text: "both seen" });
    const first = runtime.submit({ sessionKey: "s8", message: "first" });
    await server.waitForRequests(1);

    const one = runtime.submit({
      sessionKey: "s8",
      message: "one",
      queueMode: "collect",
      attachments: [photo()],
    });
    const two = runtime.submit({
      sessionKey: "s8",
      message: "two",
      queueMode: "collect",
      attachments: [photo({ fileName: "second.png" })],
    });
    runtime.abort({ runId: first.runId });
    expect((await first.done).status).toBe("aborted");
    expect(one.runId).toBe(two.runId);
    expect((await two.done).text).toBe("both seen");

    const requests = await server.waitForRequests(2);
    expect(userImages(requests[1] as NonNullable<(typeof requests)[1]>, { lastOnly: true })).toHaveLength(2);
    const users = (transcripts.entries.get("s8") ?? []).filter((entry) => entry.role === "user");
    expect(users.map((entry) => entry.media?.map((item) => item.fileName))).toEqual([
      undefined,
      ["photo.png"],
      ["second.png"],
    ]);
  });

  it("are recorded on the user entry that accept makes durable", async () => {
    const { runtime, transcripts } = startRuntime(
      providerConfig(server, "openai-completions", [visionModel]),
    );
    const voice: RunAttachment = {
      kind: "voice",
      mimeType: "audio/ogg",
      path: join(dir, "voice.ogg"),
      sizeBytes: 1234,
      transcript: "buy milk",
    };

    const accepted = await runtime.accept({
      sessionKey: "s7",
      message: "[voice note] buy milk",
      attachments: [voice],
      idempotencyKey: "k1",
    });
    await accepted.done;

    const entries = transcripts.entries.get("s7") ?? [];
    expect(entries.filter((entry) => entry.role === "user")).toMatchObject([
      {
        text: "[voice note] buy milk",
        idempotencyKey: "k1",
        media: [{ kind: "voice", mimeType: "audio/ogg", sizeBytes: 1234, transcript: "buy milk" }],
      },
    ]);
  });
});

import { type FakeModelServer, lastUserText, userImages } from "@openclaw/testing";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { configWithFakeModel, startFakeModel, type TestGateway, useIntegrationEnv } from "./harness.js";

const env = useIntegrationEnv();

/** A 1×1 PNG: real bytes, so the gateway's sniffing sees a PNG whatever the request declares. */
const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
const PNG_DATA_URL = `data:image/png;base64,${PNG_BASE64}`;

async function gatewayWithVisionModel(extra: { endpoints?: object; mediaMaxMb?: number } = {}): Promise<{
  fake: FakeModelServer;
  gateway: TestGateway;
  openai: OpenAI;
}> {
  const fake = await startFakeModel(env);
  const gateway = await env.start({
    config: {
      gateway: {
        http: {
          endpoints: {
            chatCompletions: { enabled: true },
            responses: { enabled: true },
            ...extra.endpoints,
          },
        },
      },
      ...configWithFakeModel(fake, {
        models: [{ id: "seer", contextWindow: 32_000, input: ["text", "image"] }],
        agentDefaults: extra.mediaMaxMb === undefined ? {} : { mediaMaxMb: extra.mediaMaxMb },
      }),
    },
  });
  const openai = new OpenAI({
    baseURL: `${gateway.server.httpUrl}/v1`,
    apiKey: gateway.token,
    maxRetries: 0,
  });
  return { fake, gateway, openai };
}

describe("media in the OpenAI-compatible HTTP API", () => {
  it("hands a chat completion's image_url data URL to the model as an image part", async () => {
    const { fake, openai } = await gatewayWithVisionModel();
    fake.enqueue({ text: "a pixel" });

    const completion = await openai.chat.completions.create({
      model: "openclaw",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "what is this?" },
            { type: "image_url", image_url: { url: PNG_DATA_URL } },
          ],
        },
      ],
    });

    expect(completion.choices[0]?.message.content).toBe("a pixel");
    const [request] = await fake.waitForRequests(1);
    const recorded = request as NonNullable<typeof request>;
    expect(userImages(recorded)).toEqual([{ mediaType: "image/png", base64: PNG_BASE64, url: undefined }]);
    expect(lastUserText(recorded)).toBe("what is this?");
  });

  it("sends only the last user message's images; earlier ones in a stateless history read as notes", async () => {
    const { fake, openai } = await gatewayWithVisionModel();
    await openai.chat.completions.create({
      model: "openclaw",
      messages: [
        { role: "user", content: [{ type: "image_url", image_url: { url: PNG_DATA_URL } }] },
        { role: "assistant", content: "a pixel" },
        {
          role: "user",
          content: [
            { type: "text", text: "and this one?" },
            { type: "image_url", image_url: { url: PNG_DATA_URL } },
          ],
        },
      ],
    });

    const [request] = await fake.waitForRequests(1);
    const recorded = request as NonNullable<typeof request>;
    expect(userImages(recorded)).toHaveLength(1);
    expect(userImages(recorded, { lastOnly: true })).toHaveLength(1);
    expect(JSON.stringify(recorded.body)).toContain("[image attached earlier]");
  });

  it("refuses an image URL unless the endpoint allows URLs, and never fetches a private address", async () => {
    const { fake, openai } = await gatewayWithVisionModel();
    const remote = {
      model: "openclaw",
      messages: [
        {
          role: "user" as const,
          content: [{ type: "image_url" as const, image_url: { url: "https://images.example.com/cat.png" } }],
        },
      ],
    };
    const off = await openai.chat.completions.create(remote).catch((error: unknown) => error);
    expect(off).toMatchObject({ status: 400, code: "attachment_invalid" });
    expect((off as Error).message).toContain("gateway.http.endpoints.chatCompletions.images.allowUrl");

    const { openai: allowing } = await gatewayWithVisionModel({
      endpoints: { chatCompletions: { enabled: true, images: { allowUrl: true } } },
    });
    const loopback = await allowing.chat.completions
      .create({
        ...remote,
        messages: [
          { role: "user", content: [{ type: "image_url", image_url: { url: `${fake.url}/cat.png` } }] },
        ],
      })
      .catch((error: unknown) => error);
    expect(loopback).toMatchObject({ status: 400, code: "attachment_invalid" });
    expect((loopback as Error).message).toMatch(/private|loopback|blocked/i);
    expect(fake.requests).toHaveLength(0);
  });

  it("takes /v1/responses input_image and input_file: the image as a part, the file's text in the message", async () => {
    const { fake, openai } = await gatewayWithVisionModel();
    fake.enqueue({ text: "read both" });

    const response = await openai.responses.create({
      model: "openclaw",
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "compare" },
            { type: "input_image", image_url: PNG_DATA_URL, detail: "auto" },
            {
              type: "input_file",
              filename: "notes.txt",
              file_data: `data:text/plain;base64,${Buffer.from("the quarterly numbers went up").toString("base64")}`,
            },
          ],
        },
      ],
    });

    expect(response.output_text).toBe("read both");
    const [request] = await fake.waitForRequests(1);
    const recorded = request as NonNullable<typeof request>;
    expect(userImages(recorded)).toHaveLength(1);
    const text = lastUserText(recorded);
    expect(text.startsWith("compare\n\n")).toBe(true);
    expect(text).toContain("the quarterly numbers went up");
    expect(text).toContain("notes.txt");
  });

  it("answers 413 for an image over the limit and 400 for a part type it does not take, calling no model", async () => {
    const { fake, openai } = await gatewayWithVisionModel({ mediaMaxMb: 0.001 });
    const big = `data:image/png;base64,${Buffer.alloc(4_096, 7).toString("base64")}`;

    const tooLarge = await openai.chat.completions
      .create({
        model: "openclaw",
        messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: big } }] }],
      })
      .catch((error: unknown) => error);
    expect(tooLarge).toMatchObject({ status: 413, code: "attachment_too_large" });
    expect((tooLarge as Error).message).toContain("messages[0].content[0]");

    const unknownPart = await fetch(`${openai.baseURL}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${openai.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "openclaw",
        messages: [{ role: "user", content: [{ type: "video_url", video_url: { url: "https://x/y.mp4" } }] }],
      }),
    });
    expect(unknownPart.status).toBe(400);
    expect(((await unknownPart.json()) as { error: { message: string } }).error.message).toContain(
      'content parts of type "video_url" are not supported',
    );
    expect(fake.requests).toHaveLength(0);
  });
});

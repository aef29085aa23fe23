import { describe, expect, it } from "vitest";
import { OpenAiHttpError } from "./openai-http-support.js";
import { intakeOpenAiMedia, resolveOpenAiMediaPolicy } from "./openai-media-input.js";
import { openAiUserContent } from "./openai-media-parts.js";

const at = "messages[0]";

describe("openAiUserContent", () => {
  it("reads both APIs' image, file and audio parts beside the text", () => {
    const content = openAiUserContent(
      [
        { type: "text", text: "look" },
        { type: "image_url", image_url: "data:image/png;base64,AAAA" },
        { type: "image_url", image_url: { url: "https://cdn.example.com/a.png", detail: "high" } },
        { type: "input_image", source: { type: "base64", media_type: "image/jpeg", data: "BBBB" } },
        { type: "input_file", filename: "a.txt", file_data: "data:text/plain;base64,CCCC" },
        { type: "file", file: { filename: "b.pdf", file_data: "DDDD" } },
        { type: "input_file", file_url: "https://files.example.com/c.csv" },
        { type: "input_audio", input_audio: { data: "EEEE", format: "mp3" } },
        { type: "input_text", text: "please" },
      ],
      at,
      "messages",
    );
    expect(content.text).toBe("look\nplease");
    expect(content.media).toEqual([
      { label: `${at}.content[1]`, kind: "image", data: "data:image/png;base64,AAAA" },
      { label: `${at}.content[2]`, kind: "image", url: "https://cdn.example.com/a.png" },
      { label: `${at}.content[3]`, kind: "image", mimeType: "image/jpeg", data: "BBBB" },
      { label: `${at}.content[4]`, kind: "document", fileName: "a.txt", data: "data:text/plain;base64,CCCC" },
      { label: `${at}.content[5]`, kind: "document", fileName: "b.pdf", data: "DDDD" },
      { label: `${at}.content[6]`, kind: "document", url: "https://files.example.com/c.csv" },
      { label: `${at}.content[7]`, kind: "audio", data: "EEEE", mimeType: "audio/mpeg" },
    ]);
  });

  it("refuses what it cannot take instead of dropping it", () => {
    const refusal = (part: unknown) => {
      try {
        openAiUserContent([part], at, "messages");
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(refusal({ type: "input_image", file_id: "file-1" })).toBeInstanceOf(OpenAiHttpError);
    expect(refusal({ type: "input_file", file_id: "file-1" })).toMatchObject({
      status: 400,
      message: expect.stringContaining("file_id is not supported"),
    });
    expect(refusal({ type: "video_url", video_url: "x" })).toMatchObject({ status: 400, param: "messages" });
    expect(refusal({ type: "image_url" })).toMatchObject({ status: 400 });
  });

  it("takes a plain string as the whole text", () => {
    expect(openAiUserContent("hi", at, "messages")).toEqual({ text: "hi", media: [] });
  });
});

describe("resolveOpenAiMediaPolicy", () => {
  it("fetches URLs for Responses but not for Chat Completions unless told, as OpenClaw", () => {
    expect(resolveOpenAiMediaPolicy({}, "chatCompletions").images.allowUrl).toBe(false);
    expect(resolveOpenAiMediaPolicy({}, "responses").images.allowUrl).toBe(true);
    const told = resolveOpenAiMediaPolicy(
      {
        gateway: { http: { endpoints: { chatCompletions: { images: { allowUrl: true, maxBytes: 1024 } } } } },
      },
      "chatCompletions",
    );
    expect(told.images).toMatchObject({ allowUrl: true, maxBytes: 1024 });
    expect(told.limits.maxImageBytes).toBe(1024);
  });

  it("keeps images within the gateway's 6 MB cap whatever images.maxBytes says", () => {
    const policy = resolveOpenAiMediaPolicy(
      { gateway: { http: { endpoints: { responses: { images: { maxBytes: 50 * 1024 * 1024 } } } } } },
      "responses",
    );
    expect(policy.limits.maxImageBytes).toBe(6 * 1024 * 1024);
    expect(policy.maxUrlParts).toBe(8);
  });
});

describe("intakeOpenAiMedia", () => {
  it("refuses a host outside images.urlAllowlist before fetching (a wildcard does not match the apex)", async () => {
    const policy = resolveOpenAiMediaPolicy(
      {
        gateway: {
          http: { endpoints: { responses: { images: { allowUrl: true, urlAllowlist: ["*.example.com"] } } } },
        },
      },
      "responses",
    );
    for (const url of ["https://example.com/a.png", "https://cdn.example.org/a.png"]) {
      const refused = await intakeOpenAiMedia([{ label: "input[0].content[0]", kind: "image", url }], {
        policy,
        endpoint: "responses",
        media: undefined,
        param: "input",
      }).catch((error: unknown) => error);
      expect(refused).toMatchObject({
        status: 400,
        message: expect.stringContaining("gateway.http.endpoints.responses.images.urlAllowlist"),
      });
    }
  });
});

import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import { parseConfigText } from "./parse-config-text.js";

const FILE = "/home/me/.openclaw/openclaw.json";

describe("tools.media in the config", () => {
  it("takes OpenClaw's transcription keys and names the media keys this gateway does not act on", () => {
    const { config, warnings } = parseConfigText(
      JSON.stringify({
        tools: {
          media: {
            concurrency: 2,
            models: [
              {
                provider: "openai",
                model: "gpt-4o-transcribe",
                capabilities: ["audio"],
                profile: "openai:audio",
              },
              { type: "cli", command: "whisper", args: ["{{AttachmentPath}}"], capabilities: ["audio"] },
            ],
            image: { enabled: true },
            audio: {
              enabled: true,
              language: "en",
              maxBytes: 10485760,
              timeoutSeconds: 30,
              echoTranscript: true,
              models: [{ provider: "groq", model: "whisper-large-v3-turbo" }],
            },
          },
        },
      }),
      FILE,
    );
    expect(config.tools.media?.audio?.models?.[0]?.model).toBe("whisper-large-v3-turbo");
    expect(config.tools.media?.concurrency).toBe(2);
    expect(warnings).toEqual([
      "`tools.media.models.0.profile` is not supported by this gateway: the provider's apiKey is used",
      "`tools.media.models.1.command` is not supported by this gateway: only provider models run; no local command",
      "`tools.media.models.1.args` is not supported by this gateway: only provider models run; no local command",
      "`tools.media.image` is not supported by this gateway: images go to the agent's model as they are",
      "`tools.media.audio.echoTranscript` is not supported by this gateway: the transcript is not echoed to the chat",
    ]);
  });

  it("refuses a malformed value with its path", () => {
    let error: unknown;
    try {
      parseConfigText(
        JSON.stringify({ tools: { media: { audio: { maxBytes: "big", models: [{ baseUrl: "nope" }] } } } }),
        FILE,
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual([
      "tools.media.audio.models.0.baseUrl",
      "tools.media.audio.maxBytes",
    ]);
  });
});

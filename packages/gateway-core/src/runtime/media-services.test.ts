import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryStorage } from "@openclaw/sessions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type OpenClawConfig, parseConfigText, resolveConfigPaths } from "../config/index.js";
import { createLogger } from "../logging/logger.js";
import { createGatewayRuntime, type GatewayRuntimeHandle } from "./create-gateway-runtime.js";
import { createMediaServices } from "./media-services.js";

let stateDir: string;
let handle: GatewayRuntimeHandle | undefined;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "openclaw-media-services-"));
});
afterEach(async () => {
  await handle?.close();
  handle = undefined;
  await rm(stateDir, { recursive: true, force: true });
});

const configOf = (value: unknown): OpenClawConfig =>
  parseConfigText(JSON.stringify(value), "/x/openclaw.json").config;

describe("createMediaServices", () => {
  it("keeps media under <stateDir>/media and follows a reloaded config's transcription settings", async () => {
    let config = configOf({});
    const media = createMediaServices({
      stateDir,
      config: () => config,
      env: {},
      logger: createLogger({ level: "error", sinks: [] }),
    });
    expect(media.store.rootDir).toBe(join(stateDir, "media"));
    expect(media.transcription().transcriber).toBeUndefined();
    expect(media.transcription().reason).toContain("not configured");

    config = configOf({
      tools: {
        media: {
          audio: { models: [{ provider: "local", model: "whisper-1", baseUrl: "http://127.0.0.1:9/v1" }] },
        },
      },
    });
    expect(media.transcription().transcriber).toBeDefined();
    config = configOf({ tools: { media: { audio: { enabled: false } } } });
    expect(media.transcription().reason).toContain("tools.media.audio.enabled is false");

    const { attachment } = await media.understand(new TextEncoder().encode("hello"), { fileName: "a.txt" });
    expect(attachment?.path.startsWith(join(stateDir, "media", "inbound"))).toBe(true);
  });

  it("runs at most tools.media.concurrency transcriptions at once", async () => {
    let inFlight = 0;
    let most = 0;
    const holdingFetch = async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight -= 1;
      return new Response(JSON.stringify({ text: "heard" }), {
        headers: { "content-type": "application/json" },
      });
    };
    const config = configOf({
      tools: {
        media: {
          concurrency: 1,
          audio: { models: [{ provider: "local", model: "whisper-1", baseUrl: "http://127.0.0.1:9/v1" }] },
        },
      },
    });
    const media = createMediaServices({
      stateDir,
      config: () => config,
      env: {},
      logger: createLogger({ level: "error", sinks: [] }),
      fetch: holdingFetch as unknown as typeof fetch,
    });
    const transcriber = media.transcription().transcriber;
    const results = await Promise.all(
      [1, 2, 3].map(() => transcriber?.transcribe(new Uint8Array(10), { mimeType: "audio/ogg" })),
    );
    expect(results.map((result) => result?.text)).toEqual(["heard", "heard", "heard"]);
    expect(most).toBe(1);
  });

  it("is on the runtime as runtime.media; a start and stop sweep nothing fresh", async () => {
    handle = await createGatewayRuntime({
      paths: resolveConfigPaths({ env: {}, stateDir }),
      env: {},
      bind: { mode: "loopback", host: "127.0.0.1", port: () => 18789, extraHosts: () => [] },
      version: "test",
      tickIntervalMs: 30_000,
      storage: createMemoryStorage(),
    });
    const media = handle.runtime.media;
    expect(media).toBeDefined();
    const saved = await media?.store.save(new TextEncoder().encode("note"), { direction: "inbound" });
    expect(saved?.path.startsWith(join(stateDir, "media"))).toBe(true);
    await handle.start();
    await handle.stop();
    expect(await readdir(join(stateDir, "media", "inbound"))).toHaveLength(2);
  });
});

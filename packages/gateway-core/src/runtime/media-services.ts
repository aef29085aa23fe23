import path from "node:path";
import { createMediaStore, createTranscriber, type MediaStore, type Transcriber } from "@openclaw/media";
import type { InboundMediaPreparer } from "../channels/inbound-types.js";
import type { OpenClawConfig } from "../config/index.js";
import type { Logger } from "../logging/logger.js";
import { createInboundMediaPreparer } from "../media/inbound-media-preparer.js";
import { type MediaHint, type UnderstoodMedia, understandMedia } from "../media/understand-media.js";

/** How often old media files are swept from `<stateDir>/media`. */
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;
/** OpenClaw's `tools.media.concurrency` default: transcriptions running at once. */
const DEFAULT_MEDIA_CONCURRENCY = 2;

/**
 * The media pipeline of a running gateway, as `runtime.media`: channels use `inbound`; `chat.send` and the HTTP
 * API use `understand` for their attachments (it satisfies the control plane's `MediaUnderstanding`).
 */
export interface MediaServices {
  /** `<stateDir>/media`, swept hourly while the gateway runs (files older than 7 days, then the oldest past 1 GiB). */
  readonly store: MediaStore;
  /** Stores one item and says what the model reads for it (see `understandMedia`). */
  understand(bytes: Uint8Array, hint: MediaHint): Promise<UnderstoodMedia>;
  /** The transcriber for the current `tools.media` and `models.providers`, rebuilt when the config changes. */
  transcription(): { transcriber?: Transcriber; reason?: string };
  /** The channel manager's media step (`ChannelManagerOptions.inboundMedia`). */
  readonly inbound: InboundMediaPreparer;
  /** Starts the periodic sweep (the first one runs at once). */
  start(): void;
  stop(): void;
}

export function createMediaServices(o: {
  stateDir: string;
  config: () => OpenClawConfig;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  fetch?: typeof fetch;
}): MediaServices {
  const logger = o.logger.child({ component: "media" });
  const store = createMediaStore({
    rootDir: path.join(o.stateDir, "media"),
    onSweepError: (error) => logger.warn("media sweep failed", { error: (error as Error).message }),
  });
  let built: { config: OpenClawConfig; result: { transcriber?: Transcriber; reason?: string } } | undefined;
  const transcription = () => {
    const config = o.config();
    // A reloaded config is a new object: the transcriber follows it without a restart.
    if (built?.config !== config) {
      const result = createTranscriber({
        media: config.tools?.media,
        providers: config.models?.providers,
        env: o.env,
        ...(o.fetch ? { fetch: o.fetch } : {}),
      });
      if (result.reason && built !== undefined)
        logger.info("voice transcription unavailable", { reason: result.reason });
      const gate = limiter(config.tools?.media?.concurrency ?? DEFAULT_MEDIA_CONCURRENCY);
      built = {
        config,
        result: result.transcriber ? { transcriber: limited(result.transcriber, gate) } : result,
      };
    }
    return built.result;
  };
  const understand = (bytes: Uint8Array, hint: MediaHint) =>
    understandMedia(bytes, hint, { store, transcription, logger });
  let stopSweeping: (() => void) | undefined;
  return {
    store,
    understand,
    transcription,
    inbound: createInboundMediaPreparer({
      understand,
      agentDefaultMediaMaxMb: () =>
        (o.config().agents?.defaults as { mediaMaxMb?: unknown } | undefined)?.mediaMaxMb,
      logger,
    }),
    start() {
      stopSweeping ??= store.startSweeping(SWEEP_INTERVAL_MS);
    },
    stop() {
      stopSweeping?.();
      stopSweeping = undefined;
    },
  };
}

/** A gate that lets `size` tasks run at once and queues the rest in order. */
function limiter(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    while (running >= size) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

function limited(transcriber: Transcriber, gate: ReturnType<typeof limiter>): Transcriber {
  return { transcribe: (bytes, options) => gate(() => transcriber.transcribe(bytes, options)) };
}

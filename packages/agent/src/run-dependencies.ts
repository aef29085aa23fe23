import type { LanguageModel } from "ai";
import type { AgentRuntimeConfig } from "./config-schema.js";
import type { AgentObserver } from "./observation.js";
import type { ResolvedProvider } from "./provider-catalog.js";
import type { RetryPolicy } from "./retry-policy.js";
import type {
  AgentLogger,
  AgentRunStream,
  ProviderCredentials,
  RunPreparation,
  RunPreparationInput,
  ToolRegistry,
  TranscriptSink,
} from "./types.js";

/** What one run needs from the runtime; shared by the run loop and each model attempt. */
export interface RunDependencies {
  config: AgentRuntimeConfig;
  env: NodeJS.ProcessEnv;
  credentials?: ProviderCredentials | undefined;
  transcripts: TranscriptSink;
  tools: ToolRegistry;
  logger: AgentLogger;
  now: () => number;
  retry: RetryPolicy;
  createModel: (provider: ResolvedProvider, modelId: string) => Promise<LanguageModel>;
  emit: (stream: AgentRunStream, data: Record<string, unknown>) => void;
  prepareRun?: (input: RunPreparationInput) => RunPreparation | Promise<RunPreparation>;
  sessionModel?: (sessionKey: string) => Promise<string | undefined>;
  sessionThinkingLevel?: (sessionKey: string) => Promise<string | undefined>;
  /** Telemetry observer; every observation point checks it first, so an unset one costs nothing. */
  observe?: AgentObserver | undefined;
  /** When the run was queued (epoch ms), for the `run.start` observation's queue wait. */
  queuedAt?: number;
}

export type AbortCause = "user" | "timeout" | "closed";

export interface RunControl {
  signal: AbortSignal;
  /** Why the signal fired; read only after it has. */
  cause(): AbortCause | undefined;
}

// Test support shared by the runtime's test files (not exported from the package).
import { type FakeApi, type FakeModelServer, startFakeModelServer } from "@openclaw/testing";
import { afterAll, afterEach, beforeAll } from "vitest";
import { createAgentRuntime } from "./agent-runtime.js";
import type { AgentRuntimeConfig, ModelEntry } from "./config-schema.js";
import type {
  AgentRunEvent,
  AgentRuntime,
  AgentRuntimeOptions,
  TranscriptEntry,
  TranscriptSink,
} from "./types.js";

export const API_KEY = "sk-test-0123456789abcdef";
export const APIS: readonly FakeApi[] = ["openai-completions", "openai-responses", "anthropic-messages"];

export function createMemoryTranscripts(): TranscriptSink & { entries: Map<string, TranscriptEntry[]> } {
  const entries = new Map<string, TranscriptEntry[]>();
  return {
    entries,
    async read(sessionKey) {
      return [...(entries.get(sessionKey) ?? [])];
    },
    async append(sessionKey, entry) {
      const list = entries.get(sessionKey) ?? [];
      list.push(entry);
      entries.set(sessionKey, list);
    },
  };
}

export function providerConfig(
  fake: FakeModelServer,
  api: FakeApi,
  models: ModelEntry[] = [{ id: "fake-model" }],
): AgentRuntimeConfig {
  return {
    models: { providers: { fake: { baseUrl: fake.baseUrlFor(api), apiKey: API_KEY, api, models } } },
    agents: { defaults: { model: { primary: `fake/${models[0]?.id}` } } },
  };
}

export let server: FakeModelServer;
const runtimes: AgentRuntime[] = [];

/** One fake model server for the file; runtimes started by {@link startRuntime} close after each test. */
export function useFakeModelServer(): void {
  beforeAll(async () => {
    server = await startFakeModelServer();
  });
  afterEach(async () => {
    await Promise.all(runtimes.splice(0).map((runtime) => runtime.close()));
    server.reset();
  });
  afterAll(async () => {
    await server.close();
  });
}

export function startRuntime(
  config: AgentRuntimeConfig,
  env: NodeJS.ProcessEnv = {},
  extra: Partial<AgentRuntimeOptions> = {},
) {
  const transcripts = createMemoryTranscripts();
  const events: AgentRunEvent[] = [];
  const runtime = createAgentRuntime({
    getConfig: () => config,
    transcripts,
    env,
    retry: { initialDelayMs: 5, maxDelayMs: 20 },
    ...extra,
  });
  runtime.on((event) => events.push(event));
  runtimes.push(runtime);
  const eventsOf = (runId: string) => events.filter((e) => e.runId === runId);
  return { runtime, transcripts, events, eventsOf };
}

export function nextEvent(
  runtime: AgentRuntime,
  match: (event: AgentRunEvent) => boolean,
): Promise<AgentRunEvent> {
  return new Promise((resolve) => {
    const off = runtime.on((event) => {
      if (!match(event)) return;
      off();
      resolve(event);
    });
  });
}

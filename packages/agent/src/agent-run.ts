import { AgentError, type AgentErrorCode } from "./agent-error.js";
import {
  modelSeesImages,
  type PreparedImage,
  prepareImages,
  userEntryMedia,
  userTurnContent,
  visualAttachments,
} from "./attachment-content.js";
import type { AgentRuntimeConfig } from "./config-schema.js";
import { buildContext, DEFAULT_CONTEXT_WINDOW } from "./context-window.js";
import { withImageModel } from "./image-model.js";
import { DEFAULT_MAX_TOOL_STEPS, describeError, streamAttempt, type Usage } from "./model-attempt.js";
import {
  isMissingAuth,
  type ModelCandidate,
  providerEnvKeyName,
  type ResolvedProvider,
  resolveModelChain,
  resolveProviders,
} from "./provider-catalog.js";
import { isRecorded, withoutOwnUserEntries } from "./recorded-turn.js";
import { classifyProviderFailure, retryDelayMs, waitForRetry } from "./retry-policy.js";
import type { AbortCause, RunControl, RunDependencies } from "./run-dependencies.js";
import { modelContextBudget } from "./run-limits.js";
import { RunObservation } from "./run-observation.js";
import { readSession } from "./session-reads.js";
import { reasoningProviderOptions, resolveThinkingLevel } from "./thinking-level.js";
import { TurnCostTally } from "./turn-cost.js";
import type { AgentRunRequest, AgentRunResult, AgentTool, RunPreparation, TranscriptEntry } from "./types.js";

const ABORT_CODES: Record<AbortCause, AgentErrorCode> = {
  user: "ABORTED",
  timeout: "TIMEOUT",
  closed: "QUEUE_CLOSED",
};

const ABORT_MESSAGES: Record<AbortCause, string> = {
  user: "the run was aborted",
  timeout: "the run timed out: raise agents.defaults.timeoutSeconds or the request's timeoutMs",
  closed: "the agent runtime was closed while the run was in flight",
};

/** Removes anything that looks like a credential from provider error text before it is shown or logged. */
function redactSecrets(message: string, secrets: (string | undefined)[]): string {
  let redacted = message;
  for (const secret of secrets) {
    if (secret && secret.length >= 6) redacted = redacted.split(secret).join("***");
  }
  return redacted.replace(/\b(sk|key|token)-[A-Za-z0-9_-]{8,}/g, "$1-***");
}

function mergedMessage(requests: AgentRunRequest[]): string {
  return requests.map((r) => r.message).join("\n\n");
}

/** Executes one run: context, model chain with retries and fallbacks, streaming, tools and transcript writes. */
export async function executeRun(
  runId: string,
  queued: AgentRunRequest[],
  control: RunControl,
  deps: RunDependencies,
): Promise<AgentRunResult> {
  // A message whose durable write failed was refused to its sender, so the model must not see it either.
  const requests = await withoutFailedRecords(queued);
  // Its sender is acknowledged in callbacks of that same write: one turn of the event loop lets the ack go out
  // before this run's reads and model setup (synchronous on SQLite) take the loop.
  if (queued.some(isRecorded)) await new Promise<void>((resolve) => setImmediate(resolve));
  const first = (requests[0] ?? queued[0]) as AgentRunRequest;
  const sessionKey = first.sessionKey;
  const ephemeral = first.ephemeral !== undefined;
  const usage: Usage = { inputTokens: 0, outputTokens: 0, toolCalls: 0 };
  let text = "";
  let model: string | undefined;
  let thinkingLevel: string | undefined;
  // The turn's cost is tallied from its provider requests for the transcript entry of the answer.
  const turnCost = new TurnCostTally(deps.config);
  deps = { ...deps, observe: turnCost.observer(deps.observe) };
  const observation = new RunObservation(deps, {
    runId,
    sessionKey,
    agentId: first.agentId ?? agentIdOfSessionKey(sessionKey),
  });
  observation.started();
  /** The answer's transcript entry: the text so far, the run's tokens and the turn's cost. */
  const answer = (extra: { model?: string; isError?: boolean }): Omit<TranscriptEntry, "ts" | "runId"> => ({
    role: "assistant",
    text,
    ...extra,
    usage: turnCost.usage(tokensOf(usage)),
  });

  const writeEntry = async (entry: Omit<TranscriptEntry, "ts" | "runId">) => {
    if (ephemeral) return;
    try {
      await deps.transcripts.append(sessionKey, { ...entry, ts: deps.now(), runId });
    } catch (error) {
      deps.logger.error("agent transcript append failed", { sessionKey, runId, error: describeError(error) });
    }
  };
  let userEntriesWritten: Promise<void> = Promise.resolve();
  let entriesWritten: Promise<void> = Promise.resolve();
  /**
   * Entries are handed to the store after the user's, in the order things happened (the store keeps a session's
   * appends in call order and commits those that queue up together in one write + fsync). A tool step does not wait
   * for its entries' fsync, as nothing has been acknowledged to anyone yet; `finish` waits for all of them before the
   * run reports its end.
   */
  const append = (entry: Omit<TranscriptEntry, "ts" | "runId">): Promise<void> => {
    const written = userEntriesWritten.then(() => writeEntry(entry));
    const previous = entriesWritten;
    entriesWritten = Promise.all([previous, written]).then(() => undefined);
    return written;
  };

  const finish = async (
    status: AgentRunResult["status"],
    extra: { stopReason?: string; error?: { code: string; message: string } },
  ): Promise<AgentRunResult> => {
    await userEntriesWritten;
    await entriesWritten;
    if (extra.error) deps.emit("error", { ...extra.error });
    const result: AgentRunResult = {
      runId,
      sessionKey,
      status,
      text,
      usage: { ...usage, totalTokens: usage.inputTokens + usage.outputTokens },
      ...extra,
    };
    if (model !== undefined) result.model = model;
    if (thinkingLevel !== undefined) result.thinkingLevel = thinkingLevel;
    observation.ended(status);
    deps.emit("lifecycle", {
      phase: "end",
      status,
      ...(model === undefined ? {} : { model }),
      ...(extra.stopReason === undefined ? {} : { stopReason: extra.stopReason }),
    });
    return result;
  };

  if (requests.length === 0) {
    deps.emit("lifecycle", { phase: "start" });
    return finish("error", {
      error: {
        code: "TRANSCRIPT_WRITE_FAILED",
        message: "the message could not be written to the transcript",
      },
    });
  }
  const stored = ephemeral ? undefined : readSession(sessionKey, deps, first.model === undefined);
  const history = stored
    ? withoutOwnUserEntries(await stored.history, runId, requests)
    : (first.ephemeral?.history ?? []);
  // The user's words are written first, before anything can fail, so no outcome loses them. The write runs while
  // the model is being asked (its fsync would otherwise delay the first token); every outcome below awaits it
  // through `finish`, so nothing is reported before the user entry is durable. Accepted messages are already.
  userEntriesWritten = (async () => {
    for (const request of requests) {
      if (!isRecorded(request)) {
        await writeEntry({ role: "user", text: request.message, ...userEntryMedia(request.attachments) });
      }
    }
  })();

  const runAgentId = first.agentId ?? agentIdOfSessionKey(sessionKey);
  const providers = resolveProviders(deps.config, {
    env: deps.env,
    credentials: deps.credentials,
    agentId: runAgentId,
  });
  let chain: ModelCandidate[];
  try {
    const pinned = first.model ?? (await stored?.model);
    chain = resolveModelChain(providers, deps.config, pinned, runAgentId);
  } catch (error) {
    deps.emit("lifecycle", { phase: "start" });
    const agentError =
      error instanceof AgentError ? error : new AgentError("PROVIDER_ERROR", describeError(error));
    return finish("error", { error: { code: agentError.code, message: agentError.message } });
  }

  const agentId = runAgentId;
  const thinking = resolveThinkingLevel(
    {
      request: first.thinking,
      session: await stored?.thinkingLevel,
      agentId,
    },
    deps.config,
  );
  thinkingLevel = thinking;
  let prepared: RunPreparation = {};
  try {
    prepared =
      (await deps.prepareRun?.({ runId, sessionKey, agentId, request: first, tools: deps.tools.list() })) ??
      {};
  } catch (error) {
    deps.emit("lifecycle", { phase: "start" });
    return finish("error", {
      error: {
        code: "RUN_PREPARATION_FAILED",
        message: `the run could not be prepared: ${describeError(error)}`,
      },
    });
  }
  const offeredTools: AgentTool[] = prepared.tools ?? deps.tools.list();
  const maxToolSteps = maxToolStepsFor(deps.config, agentId);
  const systemPrompt = composeSystemPrompt(deps.config, first, runAgentId, prepared.systemPrompt);
  const secrets = [...providers.values()].map((p) => p.apiKey);
  const visual = visualAttachments(requests.flatMap((request) => request.attachments ?? []));
  chain = withImageModel(chain, providers, deps.config, agentId, visual.length > 0);
  deps.emit("lifecycle", {
    phase: "start",
    model: (chain[0] as ModelCandidate).ref,
    thinkingLevel: thinking,
  });

  // Read at most once, and only when some model in the chain sees images; the others get notes.
  let images: Promise<PreparedImage[]> | undefined;

  let lastError: { code: string; message: string } = { code: "PROVIDER_ERROR", message: "no model answered" };
  for (const [index, candidate] of chain.entries()) {
    const provider = providers.get(candidate.provider) as ResolvedProvider;
    if (index > 0) {
      deps.emit("lifecycle", {
        phase: "fallback",
        model: candidate.ref,
        from: model,
        reason: lastError.message,
      });
      deps.logger.warn("agent model fallback", { runId, from: model, to: candidate.ref });
    }
    model = candidate.ref;
    if (isMissingAuth(provider)) {
      lastError = {
        code: "PROVIDER_ERROR",
        message: `provider "${provider.id}" has no API key: set models.providers.${provider.id}.apiKey, an auth profile (auth.order.${provider.id}) or ${providerEnvKeyName(provider.id)}`,
      };
      continue;
    }
    const vision = modelSeesImages(candidate.entry, candidate.model);
    if (vision && visual.length > 0) images ??= prepareImages(visual);
    const content = userTurnContent(mergedMessage(requests), visual, vision ? await images : undefined);
    const context = buildContext({
      history,
      systemPrompt,
      message: content.text,
      images: content.images,
      contextWindow: modelContextBudget(candidate.entry, deps.config, DEFAULT_CONTEXT_WINDOW),
      maxOutputTokens: candidate.entry?.maxTokens,
    });
    if (context.droppedTurns > 0) {
      deps.logger.debug("agent context trimmed", { runId, droppedTurns: context.droppedTurns });
    }

    observation.asked = candidate;
    for (let attempt = 0; ; attempt++) {
      const outcome = await streamAttempt(candidate, provider, context, control, deps, {
        runId,
        sessionKey,
        agentId,
        tools: offeredTools,
        maxToolSteps,
        providerOptions: reasoningProviderOptions(provider.api, thinking, candidate.entry, candidate.model),
        onText: (delta) => {
          observation.text();
          text += delta;
          deps.emit("assistant", { delta, text });
        },
        append,
      });
      usage.inputTokens += outcome.usage.inputTokens;
      usage.outputTokens += outcome.usage.outputTokens;
      usage.toolCalls += outcome.usage.toolCalls;

      if (outcome.kind === "ok") {
        if (outcome.stepLimitHit) {
          const note = `${text === "" ? "" : "\n\n"}[I stopped after ${maxToolSteps} tool steps, the limit for one run (agents.defaults.maxToolSteps). Ask me to continue if there is more to do.]`;
          text += note;
          deps.emit("assistant", { delta: note, text });
          await append(answer({ model: candidate.ref }));
          return finish("ok", { stopReason: "max_tool_steps" });
        }
        await append(answer({ model: candidate.ref }));
        return finish("ok", outcome.stopReason === undefined ? {} : { stopReason: outcome.stopReason });
      }
      const cause = control.signal.aborted ? (control.cause() ?? "user") : undefined;
      if (outcome.kind === "aborted" || cause !== undefined) {
        return endAborted(cause ?? "user");
      }
      const failure = classifyProviderFailure(outcome.error, deps.now());
      lastError = {
        code: outcome.error instanceof AgentError ? outcome.error.code : "PROVIDER_ERROR",
        message: redactSecrets(describeError(outcome.error), secrets),
      };
      deps.logger.warn("agent model call failed", {
        runId,
        model: candidate.ref,
        attempt,
        statusCode: failure.statusCode,
        error: lastError.message,
      });
      // Once text has reached the client a retry would repeat it, so a mid-stream failure ends the run.
      if (outcome.streamed) {
        await append(answer({ isError: true, model: candidate.ref }));
        return finish("error", { error: lastError });
      }
      if (!failure.retryable || attempt >= deps.retry.maxRetries) break;
      await waitForRetry(retryDelayMs(deps.retry, attempt, failure), control.signal);
      if (control.signal.aborted) return endAborted(control.cause() ?? "user");
    }
  }
  return finish("error", { error: lastError });

  async function endAborted(cause: AbortCause): Promise<AgentRunResult> {
    const code = ABORT_CODES[cause];
    // What streamed before the abort is kept, marked, so the transcript shows what the user saw.
    await append(answer({ isError: true, ...(model ? { model } : {}) }));
    if (cause === "user") return finish("aborted", { stopReason: "aborted" });
    return finish("error", { stopReason: "aborted", error: { code, message: ABORT_MESSAGES[cause] } });
  }
}

async function withoutFailedRecords(requests: AgentRunRequest[]): Promise<AgentRunRequest[]> {
  if (!requests.some(isRecorded)) return requests;
  const written = await Promise.all(
    requests.map((request) =>
      isRecorded(request)
        ? request.recorded.then(
            () => true,
            () => false,
          )
        : true,
    ),
  );
  return requests.filter((_, index) => written[index]);
}

function composeSystemPrompt(
  config: AgentRuntimeConfig,
  request: AgentRunRequest,
  agentId: string,
  prepared: string | undefined,
): string {
  const agent = config.agents?.list?.find((entry) => entry.id === agentId);
  const base = prepared ?? agent?.systemPrompt ?? config.agents?.defaults?.systemPrompt ?? "";
  return [base, request.systemPrompt ?? ""].filter((part) => part !== "").join("\n\n");
}

function maxToolStepsFor(config: AgentRuntimeConfig, agentId: string): number {
  const agent = config.agents?.list?.find((entry) => entry.id === agentId);
  return agent?.maxToolSteps ?? config.agents?.defaults?.maxToolSteps ?? DEFAULT_MAX_TOOL_STEPS;
}

/** Session keys name their agent as `agent:<id>:...`; anything else belongs to the default agent. */
function agentIdOfSessionKey(sessionKey: string): string {
  const match = /^agent:([^:]+):/.exec(sessionKey);
  return match?.[1] ?? "main";
}

function tokensOf(usage: Usage): { inputTokens: number; outputTokens: number } {
  return { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens };
}

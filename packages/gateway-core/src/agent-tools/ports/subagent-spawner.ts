import { randomUUID } from "node:crypto";
import type { AgentRunResult } from "@openclaw/agent";
import type { SessionStore } from "@openclaw/sessions";
import type { SpawnOutcome, SpawnRequest } from "@openclaw/tools/config";
import type { ChatTurn, ChatTurnRequest } from "../../chat/chat-service.js";
import type { Logger } from "../../logging/logger.js";
import { SubagentLane } from "./subagent-lane.js";
import { NO_REPLY, subagentResultMessage, subagentTaskMessage } from "./subagent-messages.js";
import type { SubagentRegistry } from "./subagent-registry.js";

/** How much of the parent's conversation a `context: "fork"` child starts with. */
const FORK_MAX_MESSAGES = 40;
const FORK_MAX_CHARS = 50_000;

export interface SubagentSpawnerDeps {
  sessions: Pick<SessionStore, "ensure" | "readTranscript" | "appendTranscript" | "delete">;
  chat: { accept(request: ChatTurnRequest): Promise<ChatTurn> };
  registry: SubagentRegistry;
  /** Throws when `ref` is not a model the agent can use (AgentRuntime.resolveModel). */
  resolveModel?: (ref: string, agentId: string) => unknown;
  /** Sends a top-level parent's answer to a child's result on to its chat, when the parent has one. */
  deliverParentReply: (o: { sessionKey: string; agentId: string; text: string }) => Promise<void>;
  logger: Logger;
  now: () => number;
}

interface ChildPlan {
  childKey: string;
  parentKey: string;
  parentAgentId: string;
  agentId: string;
  runId: string;
  task: string;
  label?: string;
  model?: string;
  timeoutMs?: number;
  cleanup: "keep" | "delete";
  expectsCompletion: boolean;
  privateCompletion: boolean;
  startedAt: number;
}

/**
 * Runs sub-agents and carries their results back. A child runs in its own session `agent:<agentId>:subagent:<id>`
 * on the gateway-wide lane; when its run ends the result is announced into the parent session as a new turn, and
 * the parent's answer goes on to the parent's chat (a top-level parent) or, for a parent that is itself a sub-agent,
 * becomes that sub-agent's result once all its own children have reported: results flow up one level at a time.
 */
export class SubagentSpawner {
  readonly #deps: SubagentSpawnerDeps;
  readonly #lane = new SubagentLane();
  readonly #plans = new Map<string, ChildPlan>();
  /** Per session: its children that have not reported yet (running, queued, or waiting on their own children). */
  readonly #openChildren = new Map<string, number>();
  /** Per session: announce turns queued or running in it. */
  readonly #pendingAnnounces = new Map<string, number>();
  readonly #inflight = new Set<Promise<unknown>>();
  #closed = false;

  constructor(deps: SubagentSpawnerDeps) {
    this.#deps = deps;
  }

  /** Children of `sessionKey` that have not reported yet. */
  openChildren(sessionKey: string): number {
    return this.#openChildren.get(sessionKey) ?? 0;
  }

  /** A child spawned here whose result has not been reported yet (queued, running, or waiting on its children). */
  isUnsettled(childKey: string): boolean {
    return this.#plans.has(childKey);
  }

  async spawn(request: SpawnRequest): Promise<SpawnOutcome> {
    const parentKey = request.parentSessionKey;
    const open = this.openChildren(parentKey);
    if (open >= request.limits.maxChildrenPerSession) {
      return {
        status: "forbidden",
        error: `sessions_spawn has reached max active children for this session (${open}/${request.limits.maxChildrenPerSession}); wait for their results (agents.defaults.subagents.maxChildrenPerAgent)`,
      };
    }
    // Reserved before the first await, so parallel calls in one model step cannot pass the limit together.
    bump(this.#openChildren, parentKey, 1);
    const notes: string[] = [];
    const plan = this.#plan(request, notes);
    let forked = 0;
    try {
      await this.#deps.registry.add({
        childKey: plan.childKey,
        parentKey,
        agentId: plan.agentId,
        depth: this.#deps.registry.depthOf(parentKey) + 1,
        runId: plan.runId,
        ...(plan.label ? { label: plan.label } : {}),
        createdAt: plan.startedAt,
      });
      await this.#deps.sessions.ensure(plan.childKey, plan.label ? { label: plan.label } : {});
      if (request.context === "fork") forked = await this.#fork(parentKey, plan.childKey);
    } catch (error) {
      bump(this.#openChildren, parentKey, -1);
      return { status: "error", error: `the sub-agent session could not be created: ${describe(error)}` };
    }
    if (request.context === "fork") notes.push(`forked ${forked} message(s) of this conversation`);
    this.#plans.set(plan.childKey, plan);
    const slot = this.#lane.tryAcquire(request.limits.maxConcurrent);
    if (slot) {
      const failure = await this.#start(plan, slot);
      if (failure !== undefined) {
        this.#plans.delete(plan.childKey);
        bump(this.#openChildren, parentKey, -1);
        await this.#deps.registry.finish(plan.childKey, { status: "error", endedAt: this.#deps.now() });
        return { status: "error", error: `the sub-agent could not be started: ${failure}` };
      }
    } else {
      notes.push(
        `queued: ${this.#lane.running} sub-agents are running (agents.defaults.subagents.maxConcurrent ${request.limits.maxConcurrent}); it starts when one finishes`,
      );
      this.#track(
        this.#lane.acquire(request.limits.maxConcurrent).then(async (queuedSlot) => {
          const failure = await this.#start(plan, queuedSlot);
          if (failure !== undefined) await this.#childEnded(plan, failedRun(plan, failure));
        }),
      );
    }
    return {
      status: "accepted",
      childSessionKey: plan.childKey,
      runId: plan.runId,
      context: request.context,
      ...(notes.length > 0 ? { note: notes.join("; ") } : {}),
    };
  }

  /** Resolves once no child run, announce or delivery started here is in flight. */
  async idle(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  /** Stops announcing: results of runs still in flight are kept in the child transcripts only. */
  close(): void {
    this.#closed = true;
  }

  #plan(request: SpawnRequest, notes: string[]): ChildPlan {
    let model = request.model;
    if (model !== undefined && this.#deps.resolveModel) {
      try {
        this.#deps.resolveModel(model, request.agentId);
      } catch (error) {
        notes.push(
          `model "${model}" is not available (${describe(error)}); the sub-agent runs on its agent's default model`,
        );
        model = undefined;
      }
    }
    return {
      childKey: `agent:${request.agentId}:subagent:${randomUUID()}`,
      parentKey: request.parentSessionKey,
      parentAgentId: request.parentAgentId,
      agentId: request.agentId,
      runId: randomUUID(),
      task: request.task,
      ...(request.label ? { label: request.label } : {}),
      ...(model ? { model } : {}),
      ...(request.runTimeoutMs ? { timeoutMs: request.runTimeoutMs } : {}),
      cleanup: request.cleanup,
      expectsCompletion: request.expectsCompletionMessage,
      privateCompletion: request.completionTarget === "parent",
      startedAt: this.#deps.now(),
    };
  }

  /** Starts the child's run; its message is durable when this resolves. Returns why it failed, if it did. */
  async #start(plan: ChildPlan, release: () => void): Promise<string | undefined> {
    let turn: ChatTurn;
    try {
      turn = await this.#deps.chat.accept({
        runId: plan.runId,
        sessionKey: plan.childKey,
        agentId: plan.agentId,
        message: subagentTaskMessage({ parentKey: plan.parentKey, task: plan.task }),
        ...(plan.model ? { model: plan.model } : {}),
        ...(plan.timeoutMs ? { timeoutMs: plan.timeoutMs } : {}),
      });
    } catch (error) {
      release();
      return describe(error);
    }
    this.#track(
      turn.done.then(async (result) => {
        release();
        await this.#childEnded(plan, result);
      }),
    );
    return undefined;
  }

  async #childEnded(plan: ChildPlan, result: AgentRunResult): Promise<void> {
    const status = result.status === "ok" ? "ok" : result.status === "aborted" ? "aborted" : "error";
    await this.#deps.registry
      .finish(plan.childKey, { status, endedAt: this.#deps.now() })
      .catch((error: unknown) =>
        this.#deps.logger.warn("sub-agent registry write failed", { error: describe(error) }),
      );
    await this.#settle(plan.childKey, result);
  }

  /**
   * A run of a sub-agent session ended. Once the session has no unreported children and no pending announce turns,
   * its latest result is reported to its parent; until then the children's results are still to come.
   */
  async #settle(childKey: string, result: AgentRunResult): Promise<void> {
    const plan = this.#plans.get(childKey);
    if (!plan) return;
    if (this.openChildren(childKey) > 0 || (this.#pendingAnnounces.get(childKey) ?? 0) > 0) return;
    this.#plans.delete(childKey);
    bump(this.#openChildren, plan.parentKey, -1);
    if (plan.expectsCompletion && !this.#closed) await this.#announce(plan, result);
    if (plan.cleanup === "delete") {
      await this.#deps.sessions
        .delete(childKey)
        .catch((error: unknown) =>
          this.#deps.logger.warn("sub-agent session cleanup failed", { error: describe(error) }),
        );
    }
  }

  async #announce(plan: ChildPlan, result: AgentRunResult): Promise<void> {
    bump(this.#pendingAnnounces, plan.parentKey, 1);
    let turn: ChatTurn;
    try {
      turn = await this.#deps.chat.accept({
        sessionKey: plan.parentKey,
        agentId: plan.parentAgentId,
        message: subagentResultMessage({ ...plan, result, endedAt: this.#deps.now() }),
      });
    } catch (error) {
      bump(this.#pendingAnnounces, plan.parentKey, -1);
      this.#deps.logger.error("sub-agent result not announced: the parent session could not record it", {
        childKey: plan.childKey,
        parentKey: plan.parentKey,
        error: describe(error),
      });
      return;
    }
    this.#track(
      turn.done.then(async (parentResult) => {
        bump(this.#pendingAnnounces, plan.parentKey, -1);
        if (this.#plans.has(plan.parentKey)) {
          await this.#settle(plan.parentKey, parentResult);
          return;
        }
        await this.#deliver(plan, parentResult);
      }),
    );
  }

  async #deliver(plan: ChildPlan, parentResult: AgentRunResult): Promise<void> {
    const text = parentResult.text.trim();
    if (plan.privateCompletion || this.#closed || parentResult.status !== "ok") return;
    if (text === "" || text.toUpperCase() === NO_REPLY) return;
    try {
      await this.#deps.deliverParentReply({ sessionKey: plan.parentKey, agentId: plan.parentAgentId, text });
    } catch (error) {
      this.#deps.logger.warn("reply to a sub-agent result not delivered to the chat", {
        parentKey: plan.parentKey,
        error: describe(error),
      });
    }
  }

  /** Copies the parent's recent conversation (user and assistant text only) into the new child session. */
  async #fork(parentKey: string, childKey: string): Promise<number> {
    const entries = (await this.#deps.sessions.readTranscript(parentKey, { limit: FORK_MAX_MESSAGES * 4 }))
      .filter((entry) => (entry.role === "user" || entry.role === "assistant") && entry.text.trim() !== "")
      .slice(-FORK_MAX_MESSAGES);
    let chars = 0;
    let first = entries.length;
    while (first > 0 && chars + (entries[first - 1]?.text.length ?? 0) <= FORK_MAX_CHARS) {
      first -= 1;
      chars += entries[first]?.text.length ?? 0;
    }
    const kept = entries.slice(first);
    for (const entry of kept) {
      await this.#deps.sessions.appendTranscript(childKey, {
        role: entry.role,
        text: entry.text,
        ts: entry.ts,
      });
    }
    return kept.length;
  }

  #track(work: Promise<unknown>): void {
    const tracked = work.catch((error: unknown) =>
      this.#deps.logger.error("sub-agent bookkeeping failed", { error: describe(error) }),
    );
    this.#inflight.add(tracked);
    void tracked.finally(() => this.#inflight.delete(tracked));
  }
}

function bump(counts: Map<string, number>, key: string, delta: number): void {
  const next = (counts.get(key) ?? 0) + delta;
  if (next <= 0) counts.delete(key);
  else counts.set(key, next);
}

function failedRun(plan: ChildPlan, message: string): AgentRunResult {
  return {
    runId: plan.runId,
    sessionKey: plan.childKey,
    status: "error",
    text: "",
    usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
    error: { code: "NOT_STARTED", message: `the sub-agent could not be started: ${message}` },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

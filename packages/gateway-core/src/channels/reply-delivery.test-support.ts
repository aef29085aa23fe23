import type { AgentRunEvent, AgentRunResult } from "@openclaw/agent";
import {
  CHANNEL_PLUGIN_API_VERSION,
  type ChannelCapabilities,
  type ChannelPlugin,
  type InboundMessage,
} from "@openclaw/plugin-sdk";
import { z } from "zod";
import { createLogger, type LogRecord } from "../logging/logger.js";
import type { InboundAccount } from "./inbound-types.js";

/** One call the in-memory platform received, in order. */
export type PlatformCall =
  | { op: "send"; at: number; to: string; text: string; messageId: string; replyTo?: string }
  | { op: "edit"; at: number; messageId: string; text: string }
  | { op: "delete"; at: number; messageId: string }
  | {
      op: "media";
      at: number;
      messageId: string;
      kind?: string;
      mimeType: string;
      fileName?: string;
      bytes: number;
    }
  | { op: "react"; at: number; messageId: string; emoji: string; remove: boolean }
  | { op: "typing"; at: number };

export interface MemoryPlatformOptions {
  id?: string;
  capabilities?: Partial<ChannelCapabilities>;
  withDelete?: boolean;
  /** Makes the named operation throw (the platform refuses it). */
  failing?: Partial<Record<"send" | "edit" | "delete" | "media" | "react", boolean>>;
}

/**
 * A channel plugin over an in-memory chat that records every send, edit, delete, upload and reaction with the
 * (fake) time it happened, and keeps what each message shows now.
 */
export function memoryPlatform(o: MemoryPlatformOptions = {}) {
  const calls: PlatformCall[] = [];
  const messages = new Map<string, string>();
  let counter = 0;
  const failing = o.failing ?? {};
  const refuse = (op: keyof NonNullable<MemoryPlatformOptions["failing"]>) => {
    if (failing[op]) throw new Error(`platform refused ${op}`);
  };
  const plugin = {
    apiVersion: CHANNEL_PLUGIN_API_VERSION,
    id: o.id ?? "memo",
    meta: { label: "Memo" },
    configSchema: z.object({}),
    capabilities: {
      dms: true,
      groups: true,
      threads: false,
      reactions: true,
      typing: true,
      media: true,
      edits: true,
      maxTextLength: 4096,
      ...o.capabilities,
    },
    startAccount: async () => ({ stop: async () => undefined }),
    async sendText(options: { to: string; text: string; replyTo?: string }) {
      refuse("send");
      counter += 1;
      const messageId = `m${counter}`;
      messages.set(messageId, options.text);
      calls.push({
        op: "send",
        at: Date.now(),
        to: options.to,
        text: options.text,
        messageId,
        ...(options.replyTo ? { replyTo: options.replyTo } : {}),
      });
      return { messageId };
    },
    async editText(options: { messageId: string; text: string }) {
      refuse("edit");
      messages.set(options.messageId, options.text);
      calls.push({ op: "edit", at: Date.now(), messageId: options.messageId, text: options.text });
    },
    ...(o.withDelete === false
      ? {}
      : {
          async deleteMessage(options: { messageId: string }) {
            refuse("delete");
            messages.delete(options.messageId);
            calls.push({ op: "delete", at: Date.now(), messageId: options.messageId });
          },
        }),
    async sendMedia(options: {
      media: { data?: Uint8Array; mimeType: string; fileName?: string; kind?: string };
    }) {
      refuse("media");
      counter += 1;
      const messageId = `m${counter}`;
      calls.push({
        op: "media",
        at: Date.now(),
        messageId,
        mimeType: options.media.mimeType,
        bytes: options.media.data?.byteLength ?? 0,
        ...(options.media.kind ? { kind: options.media.kind } : {}),
        ...(options.media.fileName ? { fileName: options.media.fileName } : {}),
      });
      return { messageId };
    },
    async react(options: { messageId: string; emoji: string; remove?: boolean }) {
      refuse("react");
      calls.push({
        op: "react",
        at: Date.now(),
        messageId: options.messageId,
        emoji: options.emoji,
        remove: options.remove === true,
      });
    },
    async sendTyping() {
      calls.push({ op: "typing", at: Date.now() });
    },
  } as unknown as ChannelPlugin;
  /** What the chat shows: the text of every message still there, in the order they were sent. */
  const transcript = () => [...messages.values()];
  const of = <K extends PlatformCall["op"]>(op: K) =>
    calls.filter((call): call is Extract<PlatformCall, { op: K }> => call.op === op);
  return { plugin, calls, transcript, of };
}

export function memoryAccount(plugin: ChannelPlugin, config: Record<string, unknown> = {}) {
  const logs: LogRecord[] = [];
  let outbound = 0;
  const account: InboundAccount = {
    plugin,
    accountId: "default",
    config,
    logger: createLogger({ level: "debug", sinks: [(record) => logs.push(record)] }),
    isActive: () => true,
    onInbound: () => undefined,
    onOutbound: () => {
      outbound += 1;
    },
    onFatal: (error) => {
      throw error;
    },
  };
  return { account, logs, outboundCount: () => outbound };
}

export function inboundMessage(overrides: Partial<InboundMessage> = {}): InboundMessage {
  return {
    channel: "memo",
    accountId: "default",
    peer: { id: "42" },
    chatKind: "dm",
    sender: { id: "42", name: "Ada" },
    text: "hello",
    mentionsBot: false,
    timestamp: 1_700_000_000_000,
    platformMessageId: "in-1",
    ...overrides,
  };
}

/**
 * A run driven by the test: `text` streams assistant deltas the way the agent emits them (`{ delta, text }`),
 * `tool` emits tool phases, `end` settles `done`. `subscribeRun` is what ChatService offers the reply delivery.
 */
export function scriptedRun(runId = "run-1", sessionKey = "agent:main:memo:direct:42") {
  const listeners = new Set<(event: AgentRunEvent) => void>();
  let seq = 0;
  let text = "";
  let settle: (result: AgentRunResult) => void = () => undefined;
  const done = new Promise<AgentRunResult>((resolve) => {
    settle = resolve;
  });
  const emit = (stream: AgentRunEvent["stream"], data: Record<string, unknown>) => {
    const event: AgentRunEvent = { runId, sessionKey, seq: seq++, stream, ts: Date.now(), data };
    for (const listener of listeners) listener(event);
  };
  const usage = { inputTokens: 1, outputTokens: 1, totalTokens: 2 };
  return {
    turn: { runId, sessionKey, done },
    subscribeRun(id: string, listener: (event: AgentRunEvent) => void) {
      if (id !== runId) return () => undefined;
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    listenerCount: () => listeners.size,
    delta(piece: string) {
      text += piece;
      emit("assistant", { delta: piece, text });
    },
    tool(phase: "start" | "result", name: string, toolCallId: string) {
      emit("tool", { phase, name, toolCallId, ...(phase === "result" ? { isError: false } : {}) });
    },
    end(status: AgentRunResult["status"] = "ok", finalText = text) {
      settle({ runId, sessionKey, status, text: finalText, usage });
    },
    get text() {
      return text;
    },
  };
}

import type { AgentRunEvent } from "@openclaw/agent";
import { chunkText } from "@openclaw/plugin-sdk";
import { describeError } from "./channel-error.js";
import { DraftMessage, type DraftTransport } from "./draft-message.js";
import { type ReplyStream, type ReplyStreamContext, toolLineOf } from "./reply-stream.js";

const STOPPED_LINE = "⏹️ Stopped";

/**
 * `progress` mode (OpenClaw's default on Telegram and Slack): a status draft ("Working…", and with
 * `streaming.progress.toolProgress` one line per tool call) appears once the turn does real work (tool calls still
 * running after the initial delay; a plain answer gets none), the final answer is sent as a new message, and the
 * status draft is deleted after it. A platform that cannot delete gets the answer edited into the draft instead.
 */
export class DraftProgressStream implements ReplyStream {
  readonly #c: ReplyStreamContext;
  readonly #transport: DraftTransport;
  readonly #draft: DraftMessage;
  readonly #lines: { id: string; line: string }[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #working = false;
  /** Tool calls started and not yet finished. */
  readonly #running = new Set<string>();

  constructor(context: ReplyStreamContext, transport: DraftTransport) {
    this.#c = context;
    this.#transport = transport;
    this.#draft = new DraftMessage(transport, {
      intervalMs: context.streaming.editIntervalMs,
      now: context.now,
      onWrite: () => context.onWrite(),
      onError: (error) =>
        context.logger.warn("progress draft update failed", { error: describeError(error) }),
    });
  }

  onEvent(event: AgentRunEvent): void {
    const tool = toolLineOf(event);
    if (tool === undefined) return;
    if (tool.done) this.#running.delete(tool.id);
    else this.#running.add(tool.id);
    if (this.#c.streaming.progress.toolProgress) this.#recordTool(tool);
    if (this.#working) {
      this.#render();
      return;
    }
    // A tool call is real work, but a quick one is not worth a draft: it appears when a tool is still running later.
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      if (this.#running.size === 0) return;
      this.#working = true;
      this.#render();
    }, this.#c.streaming.maxInitialDelayMs);
    this.#timer.unref?.();
  }

  async finish(finalText: string): Promise<void> {
    this.#clearTimer();
    const chunks = chunkText(finalText, this.#c.maxTextLength);
    if (this.#transport.delete === undefined) {
      const first = chunks[0];
      if (first !== undefined && (await this.#draft.finalize(first))) {
        await this.#c.send(chunks.slice(1), { replyToMessage: false });
        return;
      }
      await this.#c.send(chunks, { replyToMessage: true });
      return;
    }
    await this.#draft.close();
    await this.#c.send(chunks, { replyToMessage: true });
    if (!(await this.#draft.remove())) {
      this.#c.logger.debug("progress draft not deleted; it stays above the answer");
    }
  }

  async stop(outcome: "aborted" | "failed" | "empty"): Promise<void> {
    this.#clearTimer();
    if (outcome === "empty") {
      await this.#draft.remove();
      return;
    }
    // A failed turn keeps its status draft as the record of what happened; a stopped one says so, rather than
    // "Working…" forever.
    if (outcome === "aborted" && this.#draft.messageId !== undefined) {
      await this.#draft.finalize(`${this.#draft.shownText}\n${STOPPED_LINE}`.slice(0, this.#c.maxTextLength));
      return;
    }
    await this.#draft.close();
  }

  #recordTool(tool: { id: string; line: string }): void {
    const existing = this.#lines.find((entry) => entry.id === tool.id);
    if (existing) existing.line = tool.line;
    else this.#lines.push({ ...tool });
    const extra = this.#lines.length - this.#c.streaming.progress.maxLines;
    if (extra > 0) this.#lines.splice(0, extra);
  }

  #render(): void {
    if (!this.#working) return;
    const { label } = this.#c.streaming.progress;
    const parts = [label === false ? "" : label, ...this.#lines.map((entry) => entry.line)];
    const text = parts.filter((part) => part !== "").join("\n");
    if (text === "") return;
    this.#draft.update(text.slice(0, this.#c.maxTextLength));
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

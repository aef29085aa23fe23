import type { AgentRunEvent } from "@openclaw/agent";
import { chunkText } from "@openclaw/plugin-sdk";
import { describeError } from "./channel-error.js";
import { DraftMessage, type DraftTransport } from "./draft-message.js";
import { BlockChunker } from "./reply-block-chunker.js";
import {
  assistantTextOf,
  type ReplyStream,
  type ReplyStreamContext,
  toolLineOf,
  withoutPendingDirective,
} from "./reply-stream.js";

/**
 * `partial` and `block` drafts: the answer appears in one message and grows by edits (at the platform's edit rate).
 * In `block` mode a draft that reaches `streaming.preview.chunk.maxChars` is completed and the text goes on in a new
 * message. When the run ends the final text replaces the draft: its first chunk is edited in, the rest is sent as new
 * messages. A draft that cannot be edited any more (a failed write) is left, and the final text is sent normally.
 */
export class DraftPreviewStream implements ReplyStream {
  readonly #c: ReplyStreamContext;
  readonly #transport: DraftTransport;
  readonly #rotate: BlockChunker | undefined;
  #draft: DraftMessage;
  /** The visible text of the run so far. */
  #text = "";
  #firstTokenAt: number | undefined;
  #gateTimer: ReturnType<typeof setTimeout> | undefined;
  #shownOnce = false;
  readonly #tools = new Map<string, string>();
  /** Blocks already completed into their own messages (`block` mode); they are never sent again. */
  #completed: Promise<void> = Promise.resolve();
  #rotationFailed = false;

  constructor(context: ReplyStreamContext, transport: DraftTransport) {
    this.#c = context;
    this.#transport = transport;
    const { streaming } = context;
    this.#rotate =
      streaming.mode === "block"
        ? new BlockChunker({
            minChars: streaming.previewChunk.minChars,
            maxChars: streaming.previewChunk.maxChars,
            chunkMode: "length",
          })
        : undefined;
    this.#draft = this.#newDraft();
  }

  onEvent(event: AgentRunEvent): void {
    const text = assistantTextOf(event);
    if (text !== undefined) {
      this.#text = withoutPendingDirective(this.#c.visibleText(text));
      this.#firstTokenAt ??= this.#c.now();
      this.#rotateBlocks();
      this.#render();
      return;
    }
    const tool = this.#c.streaming.previewToolProgress ? toolLineOf(event) : undefined;
    if (tool === undefined) return;
    if (tool.done) this.#tools.delete(tool.id);
    else this.#tools.set(tool.id, tool.line);
    this.#firstTokenAt ??= this.#c.now();
    this.#render();
  }

  async finish(finalText: string): Promise<void> {
    this.#clearGate();
    await this.#completed;
    const taken = this.#rotate?.taken ?? 0;
    if (this.#rotationFailed || finalText.slice(0, taken) !== this.#text.slice(0, taken)) {
      // The completed blocks do not match the final text (a failed send, a model fallback that started over):
      // the whole answer goes out normally rather than a part of it twice or not at all.
      await this.#draft.close();
      await this.#c.send(chunkText(finalText, this.#c.maxTextLength), { replyToMessage: true });
      return;
    }
    const rest = this.#rotate ? this.#rotate.rest(finalText) : finalText;
    const chunks = chunkText(rest, this.#c.maxTextLength);
    const first = chunks[0];
    if (first === undefined) {
      await this.#draft.remove();
      return;
    }
    if (await this.#draft.finalize(first)) {
      await this.#c.send(chunks.slice(1), { replyToMessage: false });
      return;
    }
    // Never shown, or the draft broke: a stale draft goes where the platform can delete it, then normal delivery.
    if (this.#draft.messageId !== undefined) await this.#draft.remove();
    await this.#c.send(chunks, { replyToMessage: !this.#shownOnce });
  }

  async stop(outcome: "aborted" | "failed" | "empty"): Promise<void> {
    this.#clearGate();
    await this.#completed;
    if (outcome === "empty") await this.#draft.remove();
    else await this.#draft.close();
  }

  #newDraft(): DraftMessage {
    return new DraftMessage(this.#transport, {
      intervalMs: this.#c.streaming.editIntervalMs,
      now: this.#c.now,
      onWrite: () => {
        this.#shownOnce = true;
        this.#c.onWrite();
      },
      onError: (error) =>
        this.#c.logger.warn("draft update failed; the final answer will be sent as new messages", {
          error: describeError(error),
        }),
    });
  }

  /** `block` mode: completed blocks are finished in the current message and a new draft takes the rest. */
  #rotateBlocks(): void {
    if (this.#rotate === undefined || this.#rotationFailed) return;
    for (const block of this.#rotate.take(this.#text)) {
      const done = this.#draft;
      this.#draft = this.#newDraft();
      this.#completed = this.#completed.then(async () => {
        if (done.messageId === undefined) {
          await done.close();
          await this.#c.send([block], { replyToMessage: !this.#shownOnce }).then(
            () => {
              this.#shownOnce = true;
            },
            () => {
              this.#rotationFailed = true;
            },
          );
          return;
        }
        if (!(await done.finalize(block))) this.#rotationFailed = true;
      });
    }
  }

  /** What the draft shows: the text so far (to the platform's limit) and the tools running now. */
  #render(): void {
    const body = this.#rotate ? this.#rotate.rest(this.#text) : this.#text;
    const tools = [...this.#tools.values()].join("\n");
    const full = [body.trim(), tools].filter((part) => part !== "").join("\n\n");
    if (full === "") return;
    const shown =
      full.length > this.#c.maxTextLength ? (chunkText(full, this.#c.maxTextLength)[0] ?? "") : full;
    if (!this.#shownOnce && this.#draft.messageId === undefined && !this.#gateOpen(body)) {
      this.#armGate();
      return;
    }
    this.#draft.update(shown);
  }

  /** A first draft waits for a few words, or for a bounded delay after the first token. */
  #gateOpen(body: string): boolean {
    if (body.trim().length >= this.#c.streaming.minInitialChars) return true;
    return this.#c.now() - (this.#firstTokenAt ?? this.#c.now()) >= this.#c.streaming.maxInitialDelayMs;
  }

  #armGate(): void {
    if (this.#gateTimer !== undefined || this.#firstTokenAt === undefined) return;
    const wait = Math.max(0, this.#firstTokenAt + this.#c.streaming.maxInitialDelayMs - this.#c.now());
    this.#gateTimer = setTimeout(() => {
      this.#gateTimer = undefined;
      this.#render();
    }, wait);
    this.#gateTimer.unref?.();
  }

  #clearGate(): void {
    if (this.#gateTimer !== undefined) clearTimeout(this.#gateTimer);
    this.#gateTimer = undefined;
  }
}

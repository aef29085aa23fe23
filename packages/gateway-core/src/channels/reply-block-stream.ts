import type { AgentRunEvent } from "@openclaw/agent";
import { chunkText } from "@openclaw/plugin-sdk";
import { BlockChunker } from "./reply-block-chunker.js";
import {
  assistantTextOf,
  type ReplyStream,
  type ReplyStreamContext,
  withoutPendingDirective,
} from "./reply-stream.js";

/**
 * Block replies (a platform without edits such as WhatsApp, or `streaming.block.enabled`): each block the model
 * completes is sent as its own message while it writes the next; when the model pauses for
 * `streaming.block.coalesce.idleMs`, completed paragraphs go out even when short. At the end only the text no block
 * carried yet is sent, so nothing arrives twice.
 */
export class ReplyBlockStream implements ReplyStream {
  readonly #c: ReplyStreamContext;
  readonly #chunker: BlockChunker;
  #text = "";
  #sending: Promise<void> = Promise.resolve();
  #sentAny = false;
  #failure: unknown;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(context: ReplyStreamContext) {
    this.#c = context;
    const { block, chunkMode } = context.streaming;
    this.#chunker = new BlockChunker({ minChars: block.minChars, maxChars: block.maxChars, chunkMode });
  }

  onEvent(event: AgentRunEvent): void {
    const text = assistantTextOf(event);
    if (text === undefined) return;
    this.#text = withoutPendingDirective(this.#c.visibleText(text));
    this.#enqueue(this.#chunker.take(this.#text));
    this.#armIdle();
  }

  async finish(finalText: string): Promise<void> {
    this.#clearIdle();
    await this.#sending;
    if (this.#failure !== undefined) throw this.#failure;
    const taken = this.#chunker.taken;
    // The final answer comes trimmed, so the blocks may cover more than its length (a trailing blank line).
    const covered = this.#text.slice(0, taken).trimEnd();
    const continues = finalText.startsWith(covered);
    if (continues && finalText.slice(taken).trim() === "") return;
    const rest = continues ? this.#chunker.rest(finalText) : finalText;
    if (this.#sentAny) await this.#c.pauseBetweenBlocks?.();
    await this.#c.send(chunkText(rest, this.#c.maxTextLength), { replyToMessage: !this.#sentAny });
  }

  async stop(): Promise<void> {
    this.#clearIdle();
    await this.#sending;
  }

  #enqueue(blocks: string[]): void {
    for (const block of blocks) {
      this.#sending = this.#sending.then(async () => {
        if (this.#failure !== undefined) return;
        try {
          if (this.#sentAny) await this.#c.pauseBetweenBlocks?.();
          await this.#c.send(chunkText(block, this.#c.maxTextLength), { replyToMessage: !this.#sentAny });
          this.#sentAny = true;
        } catch (error) {
          this.#failure = error;
        }
      });
    }
  }

  #armIdle(): void {
    this.#clearIdle();
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = undefined;
      this.#enqueue(this.#chunker.take(this.#text, { idle: true }));
    }, this.#c.streaming.block.idleMs);
    this.#idleTimer.unref?.();
  }

  #clearIdle(): void {
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
  }
}

/** Sends, edits and deletes one chat message on the platform (bound to the chat the reply goes to). */
export interface DraftTransport {
  send(text: string): Promise<string>;
  edit(messageId: string, text: string): Promise<void>;
  /** Absent when the platform cannot delete a message. */
  delete?(messageId: string): Promise<void>;
}

export interface DraftMessageOptions {
  /** The least time between two writes: the platform's edit rate limit for one chat. */
  intervalMs: number;
  now: () => number;
  /** Called once, when a write fails; the draft then stops and the final answer goes out normally. */
  onError?(error: unknown): void;
  /** Called after each successful write (the chat's last-outbound time). */
  onWrite?(): void;
}

/**
 * One message that shows the latest text it was given: sent at once, then edited at most once per `intervalMs`
 * with whatever the newest text is by then (intermediate texts are skipped, never queued). After a failed write it
 * stops, so a rate-limited or deleted message does not turn into a stream of errors.
 */
export class DraftMessage {
  readonly #transport: DraftTransport;
  readonly #o: DraftMessageOptions;
  #messageId: string | undefined;
  #shown = "";
  #wanted = "";
  #lastWriteAt = Number.NEGATIVE_INFINITY;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #writing: Promise<void> | undefined;
  #failed = false;
  #closed = false;

  constructor(transport: DraftTransport, options: DraftMessageOptions) {
    this.#transport = transport;
    this.#o = options;
  }

  /** The platform id once the first write succeeded. */
  get messageId(): string | undefined {
    return this.#messageId;
  }

  /** What the chat shows now. */
  get shownText(): string {
    return this.#shown;
  }

  get failed(): boolean {
    return this.#failed;
  }

  /** Asks for `text` to be shown; the write happens now or when the rate limit allows. */
  update(text: string): void {
    if (this.#closed || this.#failed || text.trim() === "") return;
    this.#wanted = text;
    this.#schedule();
  }

  /** Stops writing and waits for a write in flight; what was shown stays. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#writing;
  }

  /**
   * Replaces the draft with `text` (at most the platform's limit) after stopping further updates. False when it
   * cannot: nothing was shown, an earlier write failed, or this edit fails (then nothing is retried here).
   */
  async finalize(text: string): Promise<boolean> {
    await this.close();
    const messageId = this.#messageId;
    if (messageId === undefined || this.#failed) return false;
    if (text === this.#shown) return true;
    // The final edit respects the rate limit too: a burst of two edits is what gets a draft throttled.
    const wait = this.#lastWriteAt + this.#o.intervalMs - this.#o.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    try {
      await this.#transport.edit(messageId, text);
    } catch (error) {
      this.#fail(error);
      return false;
    }
    this.#shown = text;
    this.#o.onWrite?.();
    return true;
  }

  /** Deletes the message when the platform can; false otherwise (the draft then stays as it is). */
  async remove(): Promise<boolean> {
    await this.close();
    const messageId = this.#messageId;
    const remove = this.#transport.delete;
    if (messageId === undefined || remove === undefined) return messageId === undefined;
    try {
      await remove.call(this.#transport, messageId);
      return true;
    } catch (error) {
      this.#fail(error);
      return false;
    }
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#writing !== undefined || this.#closed) return;
    if (this.#wanted === this.#shown) return;
    const wait = this.#messageId === undefined ? 0 : this.#lastWriteAt + this.#o.intervalMs - this.#o.now();
    if (wait <= 0) {
      this.#write();
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#write();
    }, wait);
    this.#timer.unref?.();
  }

  #write(): void {
    if (this.#closed || this.#failed) return;
    const text = this.#wanted;
    const messageId = this.#messageId;
    this.#lastWriteAt = this.#o.now();
    const writing =
      messageId === undefined ? this.#transport.send(text) : this.#transport.edit(messageId, text);
    this.#writing = writing.then(
      (sentId) => {
        if (messageId === undefined) this.#messageId = sentId as string;
        this.#shown = text;
        this.#writing = undefined;
        this.#o.onWrite?.();
        this.#schedule();
      },
      (error: unknown) => {
        this.#writing = undefined;
        this.#fail(error);
      },
    );
  }

  #fail(error: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#o.onError?.(error);
  }
}

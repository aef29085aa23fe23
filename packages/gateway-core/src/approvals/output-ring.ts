/**
 * A command's combined output, of which only the newest `capacity` characters are kept. Positions are absolute
 * (counted from the first character the command ever printed), so a reader that fell behind can tell how much it
 * missed: everything before `start` is gone for good.
 */
export class OutputRing {
  readonly #capacity: number;
  readonly #chunks: string[] = [];
  #retained = 0;
  #end = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Absolute position of the oldest character still kept. */
  get start(): number {
    return this.#end - this.#retained;
  }

  /** Absolute position just past the newest character: every character the command printed. */
  get end(): number {
    return this.#end;
  }

  append(text: string): void {
    if (!text) return;
    this.#chunks.push(text);
    this.#retained += text.length;
    this.#end += text.length;
    while (this.#retained > this.#capacity) {
      const oldest = this.#chunks[0] as string;
      const excess = this.#retained - this.#capacity;
      if (oldest.length <= excess) {
        this.#chunks.shift();
        this.#retained -= oldest.length;
      } else {
        this.#chunks[0] = oldest.slice(excess);
        this.#retained -= excess;
      }
    }
  }

  /** The kept text from absolute position `from` (clamped to what is kept) to the end. */
  textFrom(from = 0): string {
    const text = this.#chunks.length > 1 ? this.#compact() : (this.#chunks[0] ?? "");
    return text.slice(Math.max(0, from - this.start));
  }

  /** Joins the chunks once, so repeated reads of a long log do not join them again. */
  #compact(): string {
    const joined = this.#chunks.join("");
    this.#chunks.length = 0;
    this.#chunks.push(joined);
    return joined;
  }
}

/** The last `limit` characters of `text`, and how many were left out before them. */
export function keepTail(text: string, limit: number): { text: string; omitted: number } {
  if (text.length <= limit) return { text, omitted: 0 };
  return { text: text.slice(text.length - limit), omitted: text.length - limit };
}

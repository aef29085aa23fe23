import type { PresenceEntry } from "@openclaw/protocol";

/** Who is connected right now: one entry per authenticated connection, keyed by connection id. */
export class PresenceRegistry {
  readonly #entries = new Map<string, PresenceEntry>();
  #version = 0;

  get version(): number {
    return this.#version;
  }

  upsert(connId: string, entry: PresenceEntry): void {
    this.#entries.set(connId, entry);
    this.#version += 1;
  }

  remove(connId: string): boolean {
    const removed = this.#entries.delete(connId);
    if (removed) this.#version += 1;
    return removed;
  }

  list(): PresenceEntry[] {
    return [...this.#entries.values()];
  }
}

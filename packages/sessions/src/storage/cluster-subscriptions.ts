import { assertClusterTopic } from "./cluster-arguments.js";
import type { ClusterListener, OpenClusterOptions } from "./cluster-port.js";

/**
 * The listeners behind a coordinator's `subscribe`, by topic: what every implementation does the same way once a
 * message has arrived (shared so drivers cannot drift apart). A listener that throws is logged and does not keep the
 * message from the others.
 */
export class ClusterSubscriptions {
  readonly #byTopic = new Map<string, Set<ClusterListener>>();

  constructor(private readonly logger?: Pick<NonNullable<OpenClusterOptions["logger"]>, "warn">) {}

  /** Adds `listener` to `topic`; the function returned removes it (once, however often it is called). */
  subscribe(topic: string, listener: ClusterListener): () => void {
    assertClusterTopic(topic);
    let listeners = this.#byTopic.get(topic);
    if (!listeners) {
      listeners = new Set();
      this.#byTopic.set(topic, listeners);
    }
    // An entry of its own, so the same function subscribed twice is delivered twice and unsubscribed one at a time.
    const entry: ClusterListener = (payload, origin) => listener(payload, origin);
    listeners.add(entry);
    return () => {
      listeners.delete(entry);
      if (listeners.size === 0 && this.#byTopic.get(topic) === listeners) this.#byTopic.delete(topic);
    };
  }

  /** Whether anyone listens to `topic` (a receiver skips reading or parsing a message nobody wants). */
  has(topic: string): boolean {
    return this.#byTopic.has(topic);
  }

  /** Hands `payload` to every listener of `topic`, in the order they subscribed. */
  deliver(topic: string, payload: unknown, origin: string): void {
    for (const listener of [...(this.#byTopic.get(topic) ?? [])]) {
      try {
        listener(payload, origin);
      } catch (error) {
        this.logger?.warn("cluster.listener_failed", { topic, error: String(error) });
      }
    }
  }

  /** Forgets every listener (the coordinator closing). */
  clear(): void {
    this.#byTopic.clear();
  }
}

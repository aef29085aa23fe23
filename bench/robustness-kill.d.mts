export interface KillLoopFigures {
  kills: number;
  /** chat.send calls that got their `res ok` before a kill. */
  acked: number;
  /** Acknowledged messages missing from their transcript after the restarts. */
  lost: number;
  /** Acknowledged messages present more than once. */
  duplicates: number;
  /** Acknowledged messages sent again, with the same idempotencyKey, after a restart. */
  retried: number;
  /** Retries answered with the original runId and `deduped: true`. */
  retriesDeduped: number;
}

export function runKillLoop(options?: {
  kills?: number;
  log?: (line: string) => void;
  /**
   * `storage.driver` in the gateway's config; postgres runs in a fresh schema of
   * postgres://postgres@127.0.0.1:5432/test that is dropped afterwards. Omitted: no `storage` key.
   */
  driver?: "sqlite" | "postgres" | "file";
  /** "cli" (default): `openclaw gateway`; "app": bench/gateway-app.mjs, the unbundled @openclaw/gateway. */
  via?: "cli" | "app";
}): Promise<KillLoopFigures>;

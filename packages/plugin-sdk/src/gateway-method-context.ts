/** Structured, leveled logging for a method handler: one line per event; `fields` must never carry a secret. */
export interface GatewayMethodLogger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

/**
 * What the gateway hands a plugin's method handler for one request. Deliberately narrow: who is calling, a logger,
 * cancellation and a way to broadcast an event. A method that needs more (its channel's accounts, a store) gets it
 * from the plugin's own state, never from the gateway's runtime.
 */
export interface GatewayMethodContext {
  /** The id of the WebSocket connection that sent the request: stable while it stays open (key per-client state by it). */
  readonly connId: string;
  /**
   * The operator scopes the connection holds. The gateway has already checked the method's `scope`; read these only
   * to vary the answer (e.g. include details for `operator.admin`).
   */
  readonly scopes: readonly string[];
  /** The client's address as the gateway resolved it (behind a trusted proxy, the forwarded one), for logs. */
  readonly clientAddress: string;
  /** The gateway's logger, with the plugin method's name already attached to each line. */
  readonly logger: GatewayMethodLogger;
  /** Aborted when the answer is no longer wanted (the connection closed, the gateway is stopping): pass it on. */
  readonly signal?: AbortSignal;
  /**
   * Broadcasts a plugin event to every connection holding `operator.read`. `event` must lie in this method's
   * namespace: `<namespace>.<name>` where `<namespace>` is the first segment of the method's name (`echo.stats` may
   * emit `echo.messageEchoed`); `payload` must be JSON-serialisable. The gateway throws {@link PluginError}
   * `PLUGIN_METHOD_INVALID` (see {@link assertPluginEventName}) for any other name.
   */
  emit(event: string, payload: unknown): void;
}

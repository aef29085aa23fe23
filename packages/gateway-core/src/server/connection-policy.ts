/** The per-connection limits and timers one gateway applies to every WebSocket client. */
export interface ConnectionPolicy {
  maxPayload: number;
  maxBufferedBytes: number;
  tickIntervalMs: number;
  handshakeTimeoutMs: number;
}

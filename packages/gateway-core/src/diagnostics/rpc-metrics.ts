/**
 * The two metrics of every WebSocket request, `openclaw_gateway_rpc_requests_total` and
 * `openclaw_gateway_rpc_handler_seconds`, kept in plain per-method counters and rendered in the exposition format
 * at scrape time. prom-client's labelled updates cost ~850 ns a request (they hash the label object each time),
 * which at tens of thousands of requests a second is several percent of the gateway's throughput; this costs a
 * map lookup and a few additions.
 */
export class RpcMetrics {
  readonly #buckets: readonly number[];
  readonly #series = new Map<string, { count: number; sum: number; buckets: Float64Array }>();

  constructor(buckets: readonly number[]) {
    this.#buckets = buckets;
  }

  /** Records one answered request of `method` (a bounded label value) that took `seconds`. */
  record(method: string, seconds: number): void {
    let series = this.#series.get(method);
    if (!series) {
      series = { count: 0, sum: 0, buckets: new Float64Array(this.#buckets.length) };
      this.#series.set(method, series);
    }
    series.count += 1;
    series.sum += seconds;
    const bounds = this.#buckets;
    for (let i = 0; i < bounds.length; i++) {
      if (seconds <= (bounds[i] as number)) {
        (series.buckets as Float64Array)[i] = ((series.buckets as Float64Array)[i] as number) + 1;
        break;
      }
    }
  }

  /** Both metrics in Prometheus text exposition format (cumulative buckets, `+Inf`, `_sum`, `_count`). */
  render(): string {
    const lines = [
      "# HELP openclaw_gateway_rpc_requests_total WebSocket requests answered, by method.",
      "# TYPE openclaw_gateway_rpc_requests_total counter",
    ];
    const methods = [...this.#series.keys()].sort();
    for (const method of methods) {
      lines.push(
        `openclaw_gateway_rpc_requests_total{method="${escapeLabel(method)}"} ${this.#series.get(method)?.count}`,
      );
    }
    lines.push(
      "# HELP openclaw_gateway_rpc_handler_seconds Time from dispatch to the answer.",
      "# TYPE openclaw_gateway_rpc_handler_seconds histogram",
    );
    for (const method of methods) {
      const series = this.#series.get(method);
      if (!series) continue;
      const label = escapeLabel(method);
      let cumulative = 0;
      this.#buckets.forEach((bound, i) => {
        cumulative += series.buckets[i] ?? 0;
        lines.push(
          `openclaw_gateway_rpc_handler_seconds_bucket{le="${bound}",method="${label}"} ${cumulative}`,
        );
      });
      lines.push(
        `openclaw_gateway_rpc_handler_seconds_bucket{le="+Inf",method="${label}"} ${series.count}`,
        `openclaw_gateway_rpc_handler_seconds_sum{method="${label}"} ${series.sum}`,
        `openclaw_gateway_rpc_handler_seconds_count{method="${label}"} ${series.count}`,
      );
    }
    return `${lines.join("\n")}\n`;
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

// What the Prometheus route costs (issue 18): the same build started twice, once as users get it (diagnostics on,
// no exporter) and once with `diagnostics.prometheus.enabled`; `health` throughput is measured on both gateways in
// alternating rounds, so drift on the shared machine hits both columns alike.
import { percentile, progress } from "./bench-support.mjs";

/** The exporter's config: the route on, as `diagnostics.prometheus.enabled` turns it on. */
export const PROMETHEUS_ON_CONFIG = { diagnostics: { prometheus: { enabled: true } } };

/**
 * `run` holds run.mjs's measurement functions: startGateway, stopGateway, measureThroughput(url, token),
 * measureColdStart(target), idleRss(gateway) and sleep(ms).
 */
export async function measurePrometheusOverhead({ off, on, rounds, run }) {
  progress(`prometheus: cold start of the gateway with the route on x${on.coldStartRuns}`);
  const coldStart = await run.measureColdStart(on);
  const offGateway = await run.startGateway(off);
  const onGateway = await run.startGateway(on);
  try {
    await run.sleep(1000);
    const idleRssOn = await run.idleRss(onGateway);
    const rps = { off: [], on: [] };
    for (let round = 0; round < rounds; round += 1) {
      // Alternating who goes first cancels a steady drift of the machine's load.
      const order = round % 2 === 0 ? ["off", "on"] : ["on", "off"];
      for (const which of order) {
        const gateway = which === "off" ? offGateway : onGateway;
        progress(`prometheus: health throughput, route ${which}, round ${round + 1}/${rounds}`);
        rps[which].push(await run.measureThroughput(gateway.url, gateway.token));
      }
    }
    const scraped = await scrapeHealthCount(onGateway);
    const median = (values) =>
      percentile(
        [...values].sort((a, b) => a - b),
        50,
      );
    const offRps = median(rps.off);
    const onRps = median(rps.on);
    return {
      coldStartMs: coldStart.median,
      idleRssOnMb: idleRssOn.tree,
      throughputOffRps: offRps,
      throughputOnRps: onRps,
      throughputChangePct: ((onRps - offRps) / offRps) * 100,
      rounds,
      samples: rps,
      scrapedHealthRequests: scraped,
    };
  } finally {
    await run.stopGateway(onGateway);
    await run.stopGateway(offGateway);
  }
}

/** Proves the route was on and counting: `openclaw_gateway_rpc_requests_total{method="health"}` from a scrape. */
async function scrapeHealthCount(gateway) {
  const url = `${gateway.url.replace(/^ws/, "http")}/api/diagnostics/prometheus`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${gateway.token}` } });
  if (response.status !== 200) throw new Error(`the Prometheus route answered ${response.status}`);
  const text = await response.text();
  const line = /^openclaw_gateway_rpc_requests_total\{method="health"\} (\d+)$/m.exec(text);
  return line ? Number(line[1]) : 0;
}

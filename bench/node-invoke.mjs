// `node.invoke` round trip for a no-op command (goal: < 2 ms p50 on loopback): an operator client -> the gateway
// (its own process, started with the built CLI) -> a paired headless node (@openclaw/node-host) -> back. Build
// first: `pnpm --filter openclaw... build && node bench/node-invoke.mjs [--rounds=2000]`.
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { GatewayClient } from "../packages/client/dist/index.js";
import { startNodeHost } from "../packages/node-host/dist/index.js";
import { parseArgs, percentile, progress } from "./bench-support.mjs";
import { startGateway, stopGateway } from "./session-scale-gateway.mjs";

const options = parseArgs();
const ROUNDS = Number(options.get("rounds") ?? 2000);
const WARMUP = 200;
const token = "b".repeat(48);
const stateDir = await mkdtemp(join(tmpdir(), "openclaw-bench-node-gw-"));
const nodeStateDir = await mkdtemp(join(tmpdir(), "openclaw-bench-node-"));
progress("starting the gateway");
const gateway = await startGateway({ stateDir, token, timeoutMs: 60_000 });
gateway.client.close();
const operator = new GatewayClient({
  url: gateway.url,
  token,
  scopes: ["operator.write", "operator.pairing"],
});
let node;
try {
  await operator.connect();
  node = startNodeHost({
    url: gateway.url,
    token,
    stateDir: nodeStateDir,
    pairingRetryMs: 50,
    log: () => {},
    commands: { noop: () => null },
  });
  progress("pairing the node");
  for (;;) {
    const { pending } = await operator.request("device.pair.list", {});
    if (pending[0]) {
      await operator.request("device.pair.approve", { requestId: pending[0].requestId });
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await node.ready;
  const nodeId = node.deviceId;
  const times = [];
  progress(`${WARMUP} warm-up + ${ROUNDS} sequential invokes`);
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    const started = performance.now();
    const result = await operator.request("node.invoke", {
      nodeId,
      command: "noop",
      idempotencyKey: `k${round}`,
    });
    const elapsed = performance.now() - started;
    if (!result.ok) throw new Error(JSON.stringify(result));
    if (round >= WARMUP) times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  const ms = (p) => percentile(times, p).toFixed(3);
  const summary = { rounds: ROUNDS, p50Ms: Number(ms(50)), p95Ms: Number(ms(95)), p99Ms: Number(ms(99)) };
  console.log(
    `node.invoke round trip, no-op command, ${ROUNDS} sequential calls (operator -> gateway -> node -> back)`,
  );
  console.log(`  p50 ${ms(50)} ms   p95 ${ms(95)} ms   p99 ${ms(99)} ms   (goal: p50 < 2 ms)`);
  console.log(`  machine: ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(2)}`);
  console.log(JSON.stringify(summary));
} finally {
  await node?.close();
  await operator.close();
  await stopGateway(gateway);
  await rm(stateDir, { recursive: true, force: true });
  await rm(nodeStateDir, { recursive: true, force: true });
}

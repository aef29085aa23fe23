import { beforeAll, describe, expect, it } from "vitest";
import { callChecked, type RawClient, useIntegrationEnv } from "./harness.js";
import { buildIfStale, type GatewayProcess, spawnGatewayProcess } from "./robustness/gateway-process.js";

const env = useIntegrationEnv();

const TOKEN = "crash-test-token-0123456789";
const CONNECTIONS = 4;
const DEPTH_PER_CONNECTION = 4;
const ACKS_BEFORE_KILL = 200;

async function spawnGateway(stateDir: string): Promise<GatewayProcess> {
  const gateway = await spawnGatewayProcess(stateDir, TOKEN);
  env.defer(() => gateway.kill());
  return gateway;
}

/**
 * Keeps `DEPTH_PER_CONNECTION` sessions.patch requests in flight on one connection until the socket dies, recording
 * each acknowledged key and label. Each patch writes its own key, so an unacknowledged one cannot mask another.
 */
async function patchUntilClosed(
  client: RawClient,
  connection: number,
  acked: Map<string, string>,
  onAck: () => void,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (client.isOpen) {
      next += 1;
      const key = `agent:main:burst-${connection}-${next}`;
      const label = `label ${connection}/${next}`;
      const response = await client.request("sessions.patch", { key, label }).catch(() => undefined);
      if (response?.ok !== true) return;
      acked.set(key, label);
      onAck();
    }
  };
  await Promise.all(Array.from({ length: DEPTH_PER_CONNECTION }, lane));
}

describe("crash safety", () => {
  beforeAll(buildIfStale, 120_000);

  it("every acknowledged sessions.patch survives a SIGKILL mid-burst", async () => {
    const stateDir = await env.makeStateDir();
    const first = await spawnGateway(stateDir);
    const clients = await Promise.all(
      Array.from({ length: CONNECTIONS }, () => env.connect(first.url, { token: TOKEN })),
    );

    const acked = new Map<string, string>();
    let killed = false;
    const onAck = () => {
      if (killed || acked.size < ACKS_BEFORE_KILL) return;
      killed = true;
      first.child.kill("SIGKILL");
    };
    await Promise.all(clients.map(({ client }, index) => patchUntilClosed(client, index, acked, onAck)));
    expect(await first.exited, `the child should die by SIGKILL: ${first.stderr()}`).toBe("SIGKILL");
    expect(acked.size).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);

    const second = await spawnGateway(stateDir);
    const { client } = await env.connect(second.url, { token: TOKEN });
    const list = await callChecked(client, "sessions.list", { limit: 100_000 });
    const labels = new Map(list.sessions.map((row) => [row.key, row.label]));
    const lost = [...acked].filter(([key, label]) => labels.get(key) !== label);
    expect(lost, `${lost.length} of ${acked.size} acknowledged patches were lost`).toEqual([]);
  });
});

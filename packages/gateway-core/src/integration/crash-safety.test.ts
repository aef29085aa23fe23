import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { callChecked, type RawClient, useIntegrationEnv } from "./harness.js";
import { buildIfStale } from "./robustness/build-if-stale.js";

const env = useIntegrationEnv();

const integrationDir = dirname(fileURLToPath(import.meta.url));
const childScript = join(integrationDir, "__fixtures__", "gateway-child.mjs");
const TOKEN = "crash-test-token-0123456789";
const CONNECTIONS = 4;
const DEPTH_PER_CONNECTION = 4;
const ACKS_BEFORE_KILL = 200;

interface GatewayChild {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<NodeJS.Signals | null>;
}

async function spawnGateway(stateDir: string): Promise<GatewayChild> {
  const child = spawn(process.execPath, [childScript, stateDir, TOKEN], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on("exit", (_code, signal) => resolve(signal)),
  );
  env.defer(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  });
  const url = await new Promise<string>((resolve, reject) => {
    let pending = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      pending += chunk;
      const newline = pending.indexOf("\n");
      if (newline !== -1) resolve((JSON.parse(pending.slice(0, newline)) as { url: string }).url);
    });
    child.once("exit", (code) =>
      reject(new Error(`gateway child exited (${code}) before listening: ${stderr}`)),
    );
  });
  return { child, url, stderr: () => stderr, exited };
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

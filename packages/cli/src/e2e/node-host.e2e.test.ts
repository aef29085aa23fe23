import { type ChildProcess, spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GatewayClient, type GatewayError } from "@openclaw/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  CLI_BIN,
  cliEnv,
  freePort,
  makeStateDir,
  type RunningGateway,
  removeStateDir,
  runCli,
  startCliGateway,
} from "./cli-process.js";

const TOKEN = "n".repeat(64);
let stateDir: string;
let nodeStateDir: string;
let gateway: RunningGateway | undefined;
let nodeProcess: { child: ChildProcess; stdout: () => string; stderr: () => string } | undefined;
let operator: GatewayClient | undefined;

beforeEach(async () => {
  stateDir = await makeStateDir();
  nodeStateDir = await makeStateDir();
});

afterEach(async () => {
  await operator?.close();
  nodeProcess?.child.kill("SIGKILL");
  await gateway?.stop("SIGKILL");
  gateway = undefined;
  nodeProcess = undefined;
  operator = undefined;
  await removeStateDir(stateDir);
  await removeStateDir(nodeStateDir);
});

async function startGateway(): Promise<{ env: NodeJS.ProcessEnv; url: string }> {
  const port = await freePort();
  await writeFile(
    join(stateDir, "openclaw.json"),
    JSON.stringify({
      gateway: { port, auth: { mode: "token", token: TOKEN } },
      tools: { exec: { mode: "ask" } },
    }),
  );
  const env = cliEnv(stateDir);
  gateway = startCliGateway([], env);
  await gateway.ready;
  return { env, url: `ws://127.0.0.1:${port}` };
}

/** `openclaw node run` as its own process, with its own state dir: a second machine in miniature. */
function startNode(url: string) {
  const child = spawn(
    process.execPath,
    [CLI_BIN, "node", "run", "--url", url, "--state-dir", nodeStateDir, "--display-name", "e2e-node"],
    {
      env: { PATH: process.env.PATH, HOME: nodeStateDir, OPENCLAW_GATEWAY_TOKEN: TOKEN },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  nodeProcess = { child, stdout: () => stdout, stderr: () => stderr };
  return nodeProcess;
}

async function connectOperator(url: string): Promise<GatewayClient> {
  operator = new GatewayClient({
    url,
    token: TOKEN,
    scopes: ["operator.read", "operator.write", "operator.pairing", "operator.approvals"],
  });
  await operator.connect();
  return operator;
}

/** Answers the next exec approval with `decision` (the operator side of system.run). */
function answerNextApproval(client: GatewayClient, decision: "allow-once" | "deny"): Promise<string> {
  return new Promise((resolve) => {
    const off = client.on("exec.approval.requested", (payload) => {
      off();
      const { id, commandText } = payload as { id: string; commandText: string };
      void client.request("exec.approval.resolve", { id, decision }).then(() => resolve(commandText));
    });
  });
}

async function connectedNodeId(client: GatewayClient): Promise<string> {
  let nodeId = "";
  await expect
    .poll(async () => {
      const { nodes } = await client.request("node.list", {});
      nodeId = nodes.find((node) => node.connected)?.nodeId ?? "";
      return nodeId;
    })
    .not.toBe("");
  return nodeId;
}

describe("openclaw node run (headless node host) against a real gateway", () => {
  it("pairs, runs system.run behind an operator's approval, notifies, survives a token rotation, and a killed node fails the invoke", async () => {
    const { env, url } = await startGateway();
    const client = await connectOperator(url);
    const node = startNode(url);

    // First run: the node asks to be paired; an operator approves it with the CLI.
    let requestId = "";
    await expect
      .poll(async () => {
        requestId = (await client.request("device.pair.list", {})).pending[0]?.requestId ?? "";
        return requestId;
      })
      .not.toBe("");
    expect(node.stderr()).toContain("waiting for approval");
    const approved = await runCli(["nodes", "approve", requestId, "--token", TOKEN], env);
    expect(approved.code, approved.stderr).toBe(0);
    const nodeId = await connectedNodeId(client);
    const described = await client.request("node.describe", { nodeId });
    expect(described).toMatchObject({ displayName: "e2e-node", connected: true, approvalState: "approved" });
    expect(described.commands).toEqual(["system.notify", "system.run", "system.which"]);
    // The node writes the token it got in hello-ok once connected: on a loaded machine that can trail `connected`.
    const tokenFile = join(nodeStateDir, "node", "device-token");
    const readToken = () =>
      readFile(tokenFile, "utf8").then(
        (text) => text.trim(),
        () => "",
      );
    await expect.poll(readToken).not.toBe("");
    const firstToken = await readToken();
    expect(firstToken.length).toBeGreaterThan(40);

    // system.run: the gateway asks the operator first; the output streams back as progress.
    const progress: string[] = [];
    client.on("node.invoke.progress", (payload) => progress.push((payload as { chunk: string }).chunk));
    const asked = answerNextApproval(client, "allow-once");
    const ran = await client.request(
      "node.invoke",
      {
        nodeId,
        command: "system.run",
        params: { command: ["sh", "-c", "echo hello-from-node"] },
        idempotencyKey: "run-1",
      },
      { timeoutMs: 30_000 },
    );
    expect(await asked).toBe("sh -c 'echo hello-from-node'");
    expect(JSON.parse(ran.payloadJSON ?? "null")).toMatchObject({
      exitCode: 0,
      success: true,
      stdout: "hello-from-node\n",
    });
    expect(progress.join("")).toContain("hello-from-node");

    const denied = answerNextApproval(client, "deny");
    const refusal = await client
      .request("node.invoke", {
        nodeId,
        command: "system.run",
        params: { command: ["touch", join(nodeStateDir, "x")] },
        idempotencyKey: "run-2",
      })
      .catch((error: GatewayError) => error);
    await denied;
    expect((refusal as GatewayError).detailCode).toBe("SYSTEM_RUN_DENIED");

    const which = await client.request("node.invoke", {
      nodeId,
      command: "system.which",
      params: { bins: ["sh", "no-such-bin"] },
      idempotencyKey: "w",
    });
    expect(Object.keys(JSON.parse(ran.payloadJSON ?? "{}"))).toContain("stdout");
    expect(JSON.parse(which.payloadJSON ?? "{}").bins).toEqual({ sh: expect.stringMatching(/\/sh$/) });

    await client.request("node.invoke", {
      nodeId,
      command: "system.notify",
      params: { title: "Build done", body: "all green" },
      idempotencyKey: "n",
    });
    await expect.poll(() => node.stdout()).toContain('"title":"Build done"');

    // Rotation: the live connection that used the old token is closed at once, the old token is refused, and the
    // host pairs its way back with the gateway token (it is still approved) to a new token.
    const rotated = await client.request("device.token.rotate", { deviceId: nodeId, role: "node" });
    expect(rotated.tokenDelivery).toBe("withheld-cross-device");
    await expect.poll(() => node.stderr()).toContain("device token rotated");
    await expect.poll(() => node.stderr()).toContain("refused this node's device token");
    await connectedNodeId(client);
    const secondToken = (await readFile(join(nodeStateDir, "node", "device-token"), "utf8")).trim();
    expect(secondToken).not.toBe(firstToken);

    // Killed mid-invoke: the caller gets a clear error at once, not a hang until the timeout.
    const sleeping = answerNextApproval(client, "allow-once");
    const pending = client
      .request(
        "node.invoke",
        {
          nodeId,
          command: "system.run",
          params: { command: ["sleep", "60"] },
          timeoutMs: 120_000,
          idempotencyKey: "s",
        },
        { timeoutMs: 130_000 },
      )
      .catch((error: GatewayError) => error);
    await sleeping;
    const startedAt = Date.now();
    node.child.kill("SIGKILL");
    const failure = (await pending) as GatewayError;
    expect(failure.detailCode).toBe("NODE_DISCONNECTED");
    expect(failure.message).toContain("disconnected before answering");
    expect(Date.now() - startedAt).toBeLessThan(10_000);
  });
});

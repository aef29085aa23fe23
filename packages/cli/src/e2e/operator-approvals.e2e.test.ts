import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  cliEnv,
  freePort,
  makeStateDir,
  type RunningGateway,
  removeStateDir,
  runCli,
  startCliGateway,
} from "./cli-process.js";

const TOKEN = "e".repeat(64);
let stateDir: string;
let gateway: RunningGateway | undefined;

beforeEach(async () => {
  stateDir = await makeStateDir();
});

afterEach(async () => {
  await gateway?.stop("SIGKILL");
  gateway = undefined;
  await removeStateDir(stateDir);
});

async function startGateway(): Promise<{ env: NodeJS.ProcessEnv; port: number }> {
  const port = await freePort();
  await writeFile(
    join(stateDir, "openclaw.json"),
    JSON.stringify({ gateway: { port, auth: { mode: "token", token: TOKEN } } }),
  );
  const env = cliEnv(stateDir);
  gateway = startCliGateway([], env);
  await gateway.ready;
  return { env, port };
}

/** Connects as a node (role "node"); the gateway refuses it until an operator approves its surface. */
function connectAsNode(port: number): Promise<{ ok: boolean; error?: { code: string } }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}`);
    socket.addEventListener("error", () => reject(new Error("node socket failed")));
    socket.addEventListener("message", (event) => {
      const frame = JSON.parse(String(event.data)) as {
        type: string;
        event?: string;
        ok?: boolean;
        error?: { code: string };
      };
      if (frame.type === "event" && frame.event === "connect.challenge") {
        socket.send(
          JSON.stringify({
            type: "req",
            id: "c1",
            method: "connect",
            params: {
              minProtocol: 4,
              maxProtocol: 4,
              client: {
                id: "node-host",
                version: "1.0.0",
                platform: "linux",
                mode: "node",
                instanceId: "garage-pi",
              },
              role: "node",
              caps: ["camera"],
              auth: { token: TOKEN },
            },
          }),
        );
      } else if (frame.type === "res") {
        socket.close();
        resolve({ ok: frame.ok === true, ...(frame.error ? { error: frame.error } : {}) });
      }
    });
  });
}

describe("openclaw approvals and nodes end to end", () => {
  it("lists a command waiting for approval and allows it; the asking client gets the decision", async () => {
    const { env } = await startGateway();
    const asking = runCli(
      [
        "gateway",
        "call",
        "exec.approval.request",
        "--params",
        JSON.stringify({ id: "cli-1", command: "uptime", timeoutMs: 20_000 }),
        "--timeout",
        "25000",
      ],
      env,
      30_000,
    );
    await expect
      .poll(
        async () => JSON.parse((await runCli(["approvals", "list", "--json"], env)).stdout).approvals.length,
      )
      .toBe(1);
    const table = await runCli(["approvals", "list"], env);
    expect(table.stdout).toContain("uptime");

    const allowed = await runCli(["approvals", "allow", "cli-1"], env);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toContain("allow-once");
    const answer = await asking;
    expect(JSON.parse(answer.stdout)).toMatchObject({
      id: "cli-1",
      decision: "allow-once",
      reason: "operator",
    });

    const missing = await runCli(["approvals", "deny", "cli-1"], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("answered or expired");
  });

  it("shows a node's pairing request and approves it, after which the node connects", async () => {
    const { env, port } = await startGateway();
    const refused = await connectAsNode(port);
    expect(refused).toMatchObject({ ok: false, error: { code: "NOT_PAIRED" } });

    const pending = JSON.parse((await runCli(["nodes", "pending", "--json"], env)).stdout) as {
      pending: { requestId: string; nodeId: string }[];
    };
    expect(pending.pending).toEqual([expect.objectContaining({ nodeId: "garage-pi" })]);
    const table = await runCli(["nodes", "pending"], env);
    expect(table.stdout).toContain("garage-pi");

    const approved = await runCli(["nodes", "approve", pending.pending[0]?.requestId ?? ""], env);
    expect(approved.stdout).toContain("approved node garage-pi");
    expect(await connectAsNode(port)).toMatchObject({ ok: true });

    expect((await runCli(["nodes", "remove", "garage-pi"], env)).stdout).toContain("removed node garage-pi");
    const usage = await runCli(["nodes", "approve"], env);
    expect(usage.code).toBe(2);
  });
});

import { GatewayClient } from "@openclaw/client";
import { ensureOpenClawRelease, type OpenClawRelease } from "@openclaw/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CompatGateway,
  createOpenClawClientHome,
  jsonOutput,
  type OpenClawClientHome,
  runOpenClaw,
  startCompatGateway,
} from "./openclaw-cli-support.js";

/**
 * OpenClaw's own CLI (the real `openclaw@2026.9.6` package, installed once into a cache outside the repository)
 * pointed at this gateway the way an OpenClaw user points it at a gateway on another host: `gateway.mode: "remote"`
 * in its own config, in a home of its own. Every assertion reads what OpenClaw printed.
 */
const found = await ensureOpenClawRelease();
if (!found.ok) console.warn(`skipping OpenClaw's CLI against this gateway: ${found.reason}`);

const CLI_TIMEOUT_MS = 180_000;

describe.skipIf(!found.ok)("OpenClaw's CLI against this gateway", () => {
  let release: OpenClawRelease;
  let gateway: CompatGateway;
  let client: OpenClawClientHome;
  let operator: GatewayClient;

  beforeAll(async () => {
    if (!found.ok) return;
    release = found.release;
    gateway = await startCompatGateway({ telegram: true });
    client = await createOpenClawClientHome(gateway.server.url, gateway.token);
    operator = new GatewayClient({ url: gateway.server.url, token: gateway.token });
    await operator.connect();
    // One conversation, so sessions and history have something to show.
    const sent = await operator.request("chat.send", {
      sessionKey: "agent:main:main",
      message: "hello from the test",
      idempotencyKey: "cli-e2e-1",
    });
    await operator.request("agent.wait", { runId: sent.runId, timeoutMs: 25_000 });
  }, 60_000);

  afterAll(async () => {
    await operator?.close();
    await client?.remove();
    await gateway?.close();
  });

  it(
    "`gateway call health --json` prints this gateway's health",
    async () => {
      const health = jsonOutput<{ ok: boolean; defaultAgentId: string; channelOrder: string[] }>(
        await runOpenClaw(release, client, ["gateway", "call", "health", "--json"]),
      );
      expect(health.ok).toBe(true);
      expect(health.defaultAgentId).toBe("main");
      expect(health.channelOrder).toContain("telegram");
    },
    CLI_TIMEOUT_MS,
  );

  it(
    "`gateway call sessions.list` and `gateway call chat.history` read the conversation over the wire",
    async () => {
      const listed = jsonOutput<{ sessions: { key: string }[] }>(
        await runOpenClaw(release, client, ["gateway", "call", "sessions.list", "--params", "{}", "--json"]),
      );
      expect(listed.sessions.map((session) => session.key)).toContain("agent:main:main");
      const history = jsonOutput<{ messages: { role: string }[] }>(
        await runOpenClaw(release, client, [
          "gateway",
          "call",
          "chat.history",
          "--params",
          JSON.stringify({ sessionKey: "agent:main:main", limit: 20 }),
          "--json",
        ]),
      );
      expect(history.messages.map((message) => message.role)).toEqual(["user", "assistant"]);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    "`sessions archive` and `sessions delete` change the gateway's sessions",
    async () => {
      for (const key of ["agent:main:scratch-a", "agent:main:scratch-b"]) {
        const sent = await operator.request("chat.send", {
          sessionKey: key,
          message: "x",
          idempotencyKey: key,
        });
        await operator.request("agent.wait", { runId: sent.runId, timeoutMs: 25_000 });
      }
      const archived = jsonOutput<{ ok: boolean; results: { status: string }[] }>(
        await runOpenClaw(release, client, ["sessions", "archive", "agent:main:scratch-a", "--json"]),
      );
      expect(archived).toMatchObject({ ok: true, results: [{ status: "archived" }] });
      const deleted = jsonOutput<{ ok: boolean; results: { status: string }[] }>(
        await runOpenClaw(release, client, ["sessions", "delete", "agent:main:scratch-b", "--yes", "--json"]),
      );
      expect(deleted).toMatchObject({ ok: true, results: [{ status: "deleted" }] });
      const rows = (await operator.request("sessions.list", { archived: "all" })).sessions;
      expect(rows.find((row) => row.key === "agent:main:scratch-a")?.archived).toBe(true);
      expect(rows.some((row) => row.key === "agent:main:scratch-b")).toBe(false);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    "`status` reaches the gateway with the token from its config",
    async () => {
      // A generous probe timeout: OpenClaw's CLI shares two cores with the rest of the test run.
      const run = await runOpenClaw(release, client, ["status", "--timeout", "30000"]);
      expect(run.code, run.stderr).toBe(0);
      const gatewayRow = run.stdout.split("\n").find((line) => /│ Gateway\s+│/.test(line)) ?? "";
      expect(gatewayRow).toContain(gateway.server.url);
      // OpenClaw prints "reachable 12ms", or "reachable 2.22s" once a probe takes a second (a loaded machine).
      expect(gatewayRow).toMatch(/reachable \d+(?:\.\d+)?m?s\b/);
      expect(gatewayRow).not.toContain("unreachable");
    },
    CLI_TIMEOUT_MS,
  );

  it(
    "`status --json` reads the gateway's status projection",
    async () => {
      const status = jsonOutput<{
        gateway: { reachable: boolean; url: string };
        sessions: { count: number };
      }>(await runOpenClaw(release, client, ["status", "--json", "--timeout", "30000"]));
      expect(status.gateway.reachable).toBe(true);
      expect(status.gateway.url).toBe(gateway.server.url);
      expect(status.sessions.count).toBeGreaterThan(0);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    "`channels status` shows the Telegram account the gateway runs",
    async () => {
      const status = jsonOutput<{
        channels: Record<string, { configured: boolean; running: boolean }>;
        channelAccounts: Record<string, { accountId: string }[]>;
      }>(await runOpenClaw(release, client, ["channels", "status", "--json"]));
      expect(status.channels.telegram).toMatchObject({ configured: true, running: true });
      expect(status.channelAccounts.telegram?.map((account) => account.accountId)).toEqual(["default"]);
      const text = await runOpenClaw(release, client, ["channels", "status"]);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain("Gateway reachable.");
      expect(text.stdout).toMatch(/Telegram default: .*running/);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    "`cron list` shows a job added through the gateway",
    async () => {
      await operator.request("cron.add", {
        name: "standup",
        schedule: { kind: "cron", expr: "0 9 * * 1-5", tz: "Europe/Vienna" },
        sessionTarget: "isolated",
        wakeMode: "next-heartbeat",
        payload: { kind: "agentTurn", message: "standup notes" },
      });
      const listed = jsonOutput<{ jobs: { name: string; enabled: boolean }[] }>(
        await runOpenClaw(release, client, ["cron", "list", "--json"]),
      );
      expect(listed.jobs.map((job) => job.name)).toContain("standup");
      const text = await runOpenClaw(release, client, ["cron", "list"]);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain("standup");
    },
    CLI_TIMEOUT_MS,
  );

  it(
    '`cron add` creates a job the gateway runs; its default delivery to the "last" chat is refused, naming the fix',
    async () => {
      const schedule = ["--cron", "0 3 * * *", "--message", "nightly notes"];
      const refused = await runOpenClaw(release, client, ["cron", "add", "nightly", ...schedule, "--json"]);
      expect(refused.code).not.toBe(0);
      expect(refused.stdout + refused.stderr).toContain(
        "--channel <channel> --to <chat id>, or --no-deliver",
      );
      const added = jsonOutput<{ id: string; name: string; delivery: { mode: string } }>(
        await runOpenClaw(release, client, ["cron", "add", "nightly", ...schedule, "--no-deliver", "--json"]),
      );
      expect(added).toMatchObject({ name: "nightly", delivery: { mode: "none" } });
      const stored = await operator.request("cron.list", { includeDisabled: true });
      expect(stored.jobs.map((job) => job.id)).toContain(added.id);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    "`gateway usage-cost` sums the tokens of the conversation's answers",
    async () => {
      const text = await runOpenClaw(release, client, ["gateway", "usage-cost", "--days", "7"]);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain("Usage cost (7 days)");
      // No model is priced here: OpenClaw names the answers without a price, per model.
      expect(text.stdout).toMatch(/Missing cost: \d+ \(fake\/instant \d+\)/);
      const summary = jsonOutput<{ totals: { totalTokens: number; missingCostEntries: number } }>(
        await runOpenClaw(release, client, ["gateway", "usage-cost", "--json"]),
      );
      expect(summary.totals.totalTokens).toBeGreaterThan(0);
      expect(summary.totals.missingCostEntries).toBeGreaterThan(0);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    "`agent --message` runs a turn on the gateway and prints its reply (OpenClaw's two answers to one request)",
    async () => {
      gateway.model.enqueue({ text: "pong from the gateway" });
      const run = await runOpenClaw(release, client, [
        "agent",
        "--session-key",
        "agent:main:cli-agent",
        "--message",
        "ping",
      ]);
      expect(run.stdout).toContain("pong from the gateway");
    },
    CLI_TIMEOUT_MS,
  );

  it(
    "`models list` shows the gateway's model catalogue",
    async () => {
      const listed = jsonOutput<{ models: { key: string; available: boolean | null }[] }>(
        await runOpenClaw(release, client, ["models", "list", "--json"]),
      );
      expect(listed.models).toContainEqual(expect.objectContaining({ key: "fake/instant", available: true }));
    },
    CLI_TIMEOUT_MS,
  );

  it(
    "`health` prints the channels and the session store the gateway reports",
    async () => {
      const run = await runOpenClaw(release, client, ["health"]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^Telegram: /m);
      expect(run.stdout).toContain("Agents: main (default)");
    },
    CLI_TIMEOUT_MS,
  );

  it(
    "`logs` tails the gateway's own log file",
    async () => {
      const run = await runOpenClaw(release, client, ["logs", "--json", "--limit", "50"]);
      expect(run.code, run.stderr).toBe(0);
      const records = run.stdout
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as { type: string; file?: string; raw?: string });
      expect(records[0]).toMatchObject({ type: "meta", file: expect.stringContaining(gateway.stateDir) });
      expect(
        records.some((record) => record.type === "log" && record.raw?.includes("gateway listening")),
      ).toBe(true);
    },
    CLI_TIMEOUT_MS,
  );
});

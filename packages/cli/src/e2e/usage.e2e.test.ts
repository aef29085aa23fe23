import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type FakeModelServer, startFakeModelServer } from "@openclaw/testing";
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

const API_KEY = "usage-e2e-key";
/** USD per million tokens of the priced model; "cheap" has no price. */
const PRICE = { input: 3, output: 15 };

let stateDir: string;
let env: NodeJS.ProcessEnv;
let model: FakeModelServer;
let gateway: RunningGateway | undefined;
let url: string;

beforeEach(async () => {
  stateDir = await makeStateDir();
  env = cliEnv(stateDir);
  model = await startFakeModelServer({ apiKey: API_KEY });
  const port = await freePort();
  url = `ws://127.0.0.1:${port}`;
  await writeFile(
    join(stateDir, "openclaw.json"),
    JSON.stringify({
      gateway: { port },
      models: {
        providers: {
          fake: {
            baseUrl: model.baseUrlFor("openai-completions"),
            apiKey: API_KEY,
            api: "openai-completions",
            models: [{ id: "fast", cost: PRICE }, { id: "cheap" }],
          },
        },
      },
      agents: { defaults: { model: { primary: "fake/fast" } }, list: [{ id: "main" }, { id: "work" }] },
    }),
  );
  gateway = startCliGateway(["--port", String(port)], env);
  await gateway.ready;
});

afterEach(async () => {
  await gateway?.stop("SIGKILL");
  gateway = undefined;
  await model.close();
  await removeStateDir(stateDir);
});

async function call(method: string, params: Record<string, unknown>): Promise<unknown> {
  const result = await runCli(
    ["gateway", "call", method, "--url", url, "--params", JSON.stringify(params)],
    env,
  );
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

async function turn(sessionKey: string, message: string): Promise<void> {
  const sent = (await call("chat.send", { sessionKey, message, idempotencyKey: message })) as {
    runId: string;
  };
  await call("agent.wait", { runId: sent.runId, timeoutMs: 20_000 });
}

async function usage(args: string[]) {
  const result = await runCli(["usage", "--url", url, ...args], env);
  expect(result.code, result.stderr).toBe(0);
  return result;
}

describe("openclaw usage end to end (SQLite ledger)", () => {
  it("prints tokens x price per day, agent, model and channel, and n/a for the unpriced model", async () => {
    model.enqueue(
      { text: "a", usage: { inputTokens: 1_000, outputTokens: 200 } },
      { text: "b", usage: { inputTokens: 3_000, outputTokens: 400 } },
    );
    await turn("agent:main:main", "priced turn");
    await call("sessions.patch", { key: "agent:work:main", model: "fake/cheap" });
    await turn("agent:work:main", "unpriced turn");

    // Rows are written a moment after the turn (batched): wait until the JSON totals show both turns.
    const expected = (1_000 * PRICE.input + 200 * PRICE.output) / 1e6;
    let json: { totals: { input: number; totalCost: number; missingCostEntries: number } } | undefined;
    await expect
      .poll(async () => {
        json = JSON.parse((await usage(["--all-agents", "--json"])).stdout);
        return json?.totals.input;
      })
      .toBe(4_000);
    expect(json?.totals.totalCost).toBeCloseTo(expected, 12);
    expect(json?.totals.missingCostEntries).toBe(1);

    const table = await usage(["--all-agents", "--days", "7"]);
    const today = new Date().toISOString().slice(0, 10);
    expect(table.stdout).toMatch(
      new RegExp(`${today}\\s+2\\s+4,000\\s+600\\s+0\\s+0\\s+4,600\\s+\\$0\\.006 \\+ n/a`),
    );
    expect(table.stdout).toMatch(/main\s+1,000\s+200\s+0\s+0\s+1,200\s+\$0\.006\n/);
    expect(table.stdout).toMatch(/work\s+3,000\s+400\s+0\s+0\s+3,400\s+n\/a \(no price\)/);
    expect(table.stdout).toMatch(/fake\/fast\s+1\s+1,000\s+200/);
    expect(table.stdout).toMatch(/fake\/cheap\s+1\s+3,000\s+400\s+0\s+0\s+3,400\s+n\/a \(no price\)/);
    expect(table.stdout).toMatch(/webchat\s+4,000\s+600/);
    expect(table.stdout).toContain("no price configured for fake/cheap (1 turn)");

    const byModel = await usage(["--agent", "work", "--by", "model"]);
    expect(byModel.stdout).toMatch(/MODEL/);
    expect(byModel.stdout).not.toMatch(/AGENT|CHANNEL/);
    expect(byModel.stdout).toMatch(/fake\/cheap\s+1\s+3,000/);

    const range = await usage(["--from", today, "--to", today, "--by", "day"]);
    expect(range.stdout).toMatch(new RegExp(`${today}\\s+1\\s+1,000\\s+200`));

    const alias = await runCli(["gateway", "usage-cost", "--url", url, "--days", "7", "--all-agents"], env);
    expect(alias.code, alias.stderr).toBe(0);
    expect(alias.stdout).toMatch(new RegExp(`${today}\\s+4,000\\s+600`));
    const aliasJson = await runCli(["gateway", "usage-cost", "--url", url, "--json"], env);
    expect(JSON.parse(aliasJson.stdout).totals.totalCost).toBeCloseTo(expected, 12);
  });

  it("refuses bad flags with exit code 2 and the fix", async () => {
    const both = await runCli(["usage", "--url", url, "--agent", "main", "--all-agents"], env);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("use --agent <id> or --all-agents, not both");
    const by = await runCli(["usage", "--url", url, "--by", "week"], env);
    expect(by.code).toBe(2);
    expect(by.stderr).toContain("--by takes day, agent, model, channel");
    const days = await runCli(["usage", "--url", url, "--days", "0"], env);
    expect(days.stderr).toContain("--days must be a whole number from 1 to 3660");
  });
});

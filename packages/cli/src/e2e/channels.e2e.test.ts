import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type FakeTelegramServer, startFakeTelegramServer } from "@openclaw/testing";
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

let stateDir: string;
let telegram: FakeTelegramServer;
let gateway: RunningGateway | undefined;

beforeEach(async () => {
  stateDir = await makeStateDir();
  telegram = await startFakeTelegramServer();
});

afterEach(async () => {
  await gateway?.stop("SIGKILL");
  gateway = undefined;
  await telegram.close();
  await removeStateDir(stateDir);
});

describe("openclaw channels and pairing end to end", () => {
  it("shows the Telegram account, and pairs an unknown sender through the CLI", async () => {
    const port = await freePort();
    const token = "d".repeat(64);
    await writeFile(
      join(stateDir, "openclaw.json"),
      JSON.stringify({
        gateway: { port, auth: { mode: "token", token } },
        channels: {
          telegram: { botToken: telegram.token, apiRoot: telegram.apiRoot, pollTimeoutSeconds: 1 },
        },
      }),
    );
    const env = cliEnv(stateDir);
    gateway = startCliGateway([], env);
    await gateway.ready;
    await telegram.waitForActivePolls(1, 10_000);

    const table = await runCli(["channels", "status"], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/Channel\s+Status\s+Account\s+Last Error/);
    expect(table.stdout).toMatch(/Telegram\s+connected\s+default/);
    const probed = await runCli(["channels", "status", "--probe", "--json"], env);
    expect(JSON.parse(probed.stdout).channelAccounts.telegram[0].probe).toMatchObject({ ok: true });

    telegram.sendMessage({
      chat: { id: 77, type: "private" },
      from: { id: 77, first_name: "Carol" },
      text: "hello?",
    });
    const [reply] = await telegram.waitForSent(
      (sent) => sent.method === "sendMessage" && sent.chatId === "77",
    );
    const code = /Pairing code: ([A-Z0-9]+)/.exec(reply?.text ?? "")?.[1] ?? "";
    const pending = await runCli(["pairing", "list"], env);
    expect(pending.stdout).toContain(code);
    expect(pending.stdout).toContain("Carol");
    const approved = await runCli(["pairing", "approve", "telegram", code], env);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain("approved 77");
    const after = await runCli(["pairing", "list", "--json"], env);
    expect(JSON.parse(after.stdout).requests).toEqual([]);

    const stopped = await runCli(["channels", "stop", "telegram"], env);
    expect(stopped.code).toBe(0);
    expect((await runCli(["channels", "status"], env)).stdout).toMatch(/Telegram\s+stopped/);
  });
});

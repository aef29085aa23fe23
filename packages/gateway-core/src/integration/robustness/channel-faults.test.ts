import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type FakeTelegramServer,
  type PlatformOutage,
  startFakeTelegramServer,
  startPlatformOutage,
} from "@openclaw/testing";
import { beforeEach, expect, it } from "vitest";
import { createLogger, type LogRecord } from "../../logging/logger.js";
import { type RawClient, useIntegrationEnv } from "../harness.js";

// The real Telegram adapter reaches the gateway the way a third party's plugin does, through plugins.load.paths
// (gateway-core never imports a channel package); it is loaded from its build, which CI makes before the tests.
const telegramPackage = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
  "..",
  "channel-telegram",
);
const BACKOFF = { initialMs: 200, maxMs: 400 };

const env = useIntegrationEnv();
let fake: FakeTelegramServer;
let outage: PlatformOutage;
let logs: LogRecord[];

beforeEach(async () => {
  fake = await startFakeTelegramServer();
  outage = await startPlatformOutage({ target: fake.apiRoot });
  env.defer(() => fake.close());
  env.defer(() => outage.close());
  logs = [];
});

type Account = { running: boolean; connected: boolean; lastError: string | null; probe?: { ok: boolean } };

async function telegramAccount(client: RawClient, probe = false): Promise<Account> {
  const response = await client.request("channels.status", { probe, timeoutMs: 2_000 });
  const payload = response.payload as { channelAccounts: Record<string, Account[]> };
  const account = payload.channelAccounts.telegram?.[0];
  if (account === undefined) throw new Error(`no telegram account in ${JSON.stringify(payload)}`);
  return account;
}

/** Polls `channels.status`, as an operator would, until the account matches; fails after `timeoutMs`. */
async function waitForAccount(client: RawClient, match: (a: Account) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const account = await telegramAccount(client);
    if (match(account)) return account;
    if (Date.now() > deadline) throw new Error(`account never matched: ${JSON.stringify(account)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function startGatewayWithTelegram(channelStartTimeoutMs?: number) {
  const gateway = await env.start({
    logger: createLogger({ level: "info", sinks: [(record) => logs.push(record)] }),
    channelBackoff: BACKOFF,
    ...(channelStartTimeoutMs ? { channelStartTimeoutMs } : {}),
    config: {
      plugins: { load: { paths: [telegramPackage] } },
      channels: { telegram: { botToken: fake.token, apiRoot: outage.url, pollTimeoutSeconds: 1 } },
    },
  });
  const { client } = await env.connect(gateway);
  return client;
}

const failureLogs = () =>
  logs.filter(
    (r) => r.msg === "channel account failed; restarting after backoff" && r.channel === "telegram",
  );

// Before: grammY's bot.init retried for ever (backoff up to 20 minutes); after 8 minutes the account still showed
// running: true, connected: false, lastError: null, and nothing was logged.
it.each(["http-500", "refused"] as const)(
  "Telegram's apiRoot %s: lastError, a log line and connected false within seconds; recovery within one backoff step",
  async (mode) => {
    await outage.fail(mode);
    const client = await startGatewayWithTelegram();
    expect(logs.some((r) => r.msg === "plugin failed to load")).toBe(false);

    // A failed account is stopped until its backoff retry starts it again; on a loaded machine the first sample with
    // the error may already be the retry's, so wait for a stopped one.
    const failed = await waitForAccount(client, (a) => a.lastError !== null && a.running === false, 3_000);
    expect(failed).toMatchObject({ connected: false, running: false });
    expect(failed.lastError).toMatch(/getMe.*channels\.telegram\.apiRoot/);
    expect(failed.lastError).not.toContain(fake.token);
    // Each failed attempt logs one line; the one shown is among them (a retry may already have failed again).
    expect(failureLogs()).toContainEqual(
      expect.objectContaining({ level: "error", error: failed.lastError }),
    );
    // The probe tells the same story as the status.
    const probed = await telegramAccount(client, true);
    expect(probed).toMatchObject({ connected: false, probe: { ok: false } });
    expect(probed.lastError).not.toBeNull();

    // The gateway's backoff keeps trying, at most maxMs apart.
    // Bounds that only stop a hang are generous (a loaded CI machine); the backoff itself is checked by delayMs.
    await waitForAccount(client, () => failureLogs().length >= 3, 15_000);
    expect(failureLogs().map((r) => r.delayMs)).toEqual(expect.arrayContaining([200, 400, 400]));

    await outage.restore();
    const restoredAt = Date.now();
    const recovered = await waitForAccount(client, (a) => a.connected, 15_000);
    expect(recovered).toMatchObject({ running: true, lastError: null });
    // Within one 400 ms backoff step plus a reconnect, loose for a loaded machine: far below the default 60 s step.
    expect(Date.now() - restoredAt).toBeLessThan(BACKOFF.maxMs + 5_000);
  },
);

it("Telegram going away while the bot polls: surfaced within seconds, and back once it returns", async () => {
  const client = await startGatewayWithTelegram();
  await waitForAccount(client, (a) => a.connected, 5_000);

  await outage.fail("refused");
  const lost = await waitForAccount(client, (a) => a.lastError !== null, 4_000);
  expect(lost).toMatchObject({ connected: false });
  expect(lost.lastError).toMatch(/getUpdates|getMe/);
  expect(failureLogs().length).toBeGreaterThan(0);

  await outage.restore();
  await waitForAccount(client, (a) => a.connected && a.lastError === null, BACKOFF.maxMs + 2_000);
});

it("a Bot API that accepts connections and never answers: the start deadline reports it, and the channel recovers", async () => {
  await outage.fail("hang");
  const client = await startGatewayWithTelegram(500);
  const failed = await waitForAccount(client, (a) => a.lastError !== null, 3_000);
  expect(failed).toMatchObject({ connected: false });
  expect(failed.lastError).toContain("neither connected nor failed within 0.5 s");
  expect(failed.lastError).toContain(outage.url);
  expect(failed.lastError).toContain("channels.telegram.apiRoot");
  expect(failureLogs().length).toBeGreaterThan(0);

  await outage.restore();
  await waitForAccount(client, (a) => a.connected && a.lastError === null, BACKOFF.maxMs + 3_000);
});

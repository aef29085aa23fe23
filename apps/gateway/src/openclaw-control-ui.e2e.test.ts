import { GatewayClient } from "@openclaw/client";
import { ensureOpenClawRelease } from "@openclaw/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  launchChromium,
  type OpenClawUiGateway,
  type PageRecorder,
  recordPage,
  startOpenClawUiGateway,
} from "./openclaw-control-ui-support.js";

/**
 * OpenClaw's own built Control UI (the npm package's `dist/control-ui`), served by this gateway through
 * `gateway.controlUi.root`, driven in Chromium like a user would: sign in with the token, chat with a fake model
 * (streamed), reload and see the history, then open the sessions, channels, automations (cron) and config screens.
 * Every frame and console message is recorded; the test fails on any refused request or protocol error.
 */
const release = await ensureOpenClawRelease();
if (!release.ok) console.warn(`skipping the OpenClaw Control UI browser test: ${release.reason}`);

const UI_TIMEOUT_MS = 30_000;
const MESSAGE = "hello from OpenClaw's own UI";
const ANSWER = `You said: ${MESSAGE}`;

function frameText(page: Page, text: string) {
  return page.getByText(text, { exact: false }).first();
}

async function waitForResult(recorder: PageRecorder, method: string, since: number): Promise<unknown> {
  const sent = () => recorder.frames.slice(since).find((each) => each.frame.method === method)?.frame.id;
  const frame = await recorder.waitForServerFrame(
    (each) => each.type === "res" && each.id !== undefined && each.id === sent(),
    UI_TIMEOUT_MS,
  );
  expect(frame.ok, `${method} answered ${JSON.stringify(frame.error)}`).toBe(true);
  return frame.payload;
}

describe.skipIf(!release.ok)("OpenClaw 2026.9.6's own Control UI against this gateway", () => {
  let gateway: OpenClawUiGateway;
  let browser: Browser;

  beforeAll(async () => {
    if (!release.ok) return;
    gateway = await startOpenClawUiGateway(release.release);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it("signs in, chats (streamed), shows history after a reload, and opens sessions, channels, cron and config", async () => {
    const page = await browser.newPage();
    const recorder = recordPage(page);
    const failedLoads: string[] = [];
    page.on("response", (response) => {
      if (response.status() >= 400) failedLoads.push(new URL(response.url()).pathname);
    });
    const site = gateway.server.url.replace(/^ws/, "http");

    // Sign in: the token travels in the URL fragment (never sent over HTTP), as OpenClaw's docs describe.
    // Before connecting, the UI reads its start-up settings over HTTP with the token as a bearer.
    const bootstrap = page.waitForResponse((response) => response.url().endsWith("/control-ui-config.json"));
    await page.goto(`${site}/chat/main#token=${gateway.token}`);
    const hello = await recorder.waitForServerFrame(
      (frame) =>
        frame.type === "res" && (frame.payload as { type?: string } | undefined)?.type === "hello-ok",
      UI_TIMEOUT_MS,
    );
    expect(hello.ok).toBe(true);
    const settings = await bootstrap;
    expect(settings.status()).toBe(200);
    expect(await settings.json()).toMatchObject({ assistantName: "Assistant", assistantAgentId: "main" });
    const composer = page.getByRole("textbox", { name: "Chat composer" });
    await composer.waitFor({ state: "visible", timeout: UI_TIMEOUT_MS });
    await frameText(page, "Main Session").waitFor({ timeout: UI_TIMEOUT_MS });

    // Chat: the answer streams in as `chat` deltas, then shows in the transcript.
    await composer.fill(MESSAGE);
    await composer.press("Enter");
    const final = await recorder.waitForServerFrame(
      (frame) => frame.event === "chat" && (frame.payload as { state?: string }).state === "final",
      UI_TIMEOUT_MS,
    );
    const runId = (final.payload as { runId: string }).runId;
    const deltas = recorder.frames.filter(
      (each) =>
        each.frame.event === "chat" &&
        (each.frame.payload as { runId?: string; state?: string }).runId === runId &&
        (each.frame.payload as { state?: string }).state === "delta",
    );
    expect(deltas.length).toBeGreaterThan(1);
    expect(recorder.requests("chat.send")).toEqual([
      expect.objectContaining({
        params: expect.objectContaining({ message: MESSAGE, idempotencyKey: runId }),
      }),
    ]);
    await frameText(page, ANSWER).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(gateway.model.requests).toHaveLength(1);

    // History: after a reload the conversation comes back from the gateway (chat.startup).
    const beforeReload = recorder.frames.length;
    await page.reload();
    const startup = (await waitForResult(recorder, "chat.startup", beforeReload)) as {
      messages: { role: string }[];
    };
    expect(startup.messages.map((message) => message.role)).toEqual(["user", "assistant"]);
    await frameText(page, ANSWER).waitFor({ timeout: UI_TIMEOUT_MS });
    await frameText(page, MESSAGE).waitFor({ timeout: UI_TIMEOUT_MS });

    // Sessions: the conversation is listed.
    let since = recorder.frames.length;
    await page.goto(`${site}/sessions`);
    await waitForResult(recorder, "sessions.list", since);
    await frameText(page, "agent:main:main").waitFor({ timeout: UI_TIMEOUT_MS });

    // Channels: the status of every channel (none configured here) and the pairing queue.
    since = recorder.frames.length;
    await page.goto(`${site}/settings/channels`);
    await waitForResult(recorder, "channels.status", since);
    await waitForResult(recorder, "channels.pairing.list", since);

    // Automations (cron): a job added through the API is listed, with the scheduler's status.
    const operator = new GatewayClient({ url: gateway.server.url, token: gateway.token });
    await operator.connect();
    try {
      await operator.request("cron.add", {
        name: "Morning standup",
        schedule: { kind: "cron", expr: "0 9 * * 1-5", tz: "Europe/Vienna" },
        sessionTarget: "isolated",
        wakeMode: "now",
        payload: { kind: "agentTurn", message: "Summarise yesterday" },
        delivery: { mode: "none" },
      });
    } finally {
      await operator.close();
    }
    since = recorder.frames.length;
    await page.goto(`${site}/automations`);
    const jobs = (await waitForResult(recorder, "cron.list", since)) as { jobs: { name: string }[] };
    expect(jobs.jobs.map((job) => job.name)).toContain("Morning standup");
    await waitForResult(recorder, "cron.status", since);
    await frameText(page, "Morning standup").waitFor({ timeout: UI_TIMEOUT_MS });

    // Config: the file and its schema.
    since = recorder.frames.length;
    await page.goto(`${site}/settings/advanced`);
    await waitForResult(recorder, "config.get", since);
    await waitForResult(recorder, "config.schema", since);

    // Let the screens' background requests settle before judging them.
    await page.waitForLoadState("networkidle");
    expect(recorder.failedResponses()).toEqual([]);
    expect(failedLoads).toEqual([]);
    expect(recorder.consoleErrors).toEqual([]);
  }, 240_000);
});

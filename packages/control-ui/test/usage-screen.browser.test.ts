import { randomUUID } from "node:crypto";
import { GatewayClient } from "@openclaw/client";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { type RecordedPage, type UiGateway, useUiHarness } from "./ui-test-env.js";

const { open } = useUiHarness();

/** One chat turn through the gateway, answered by the fake model with exactly these token counts. */
async function chatTurn(
  client: GatewayClient,
  gw: UiGateway,
  sessionKey: string,
  usage: { inputTokens: number; outputTokens: number },
): Promise<void> {
  gw.fake.enqueue({ text: "Noted.", usage });
  const ack = await client.request("chat.send", {
    sessionKey,
    message: "count my tokens",
    idempotencyKey: randomUUID(),
  });
  const done = await client.request("agent.wait", { runId: ack.runId, timeoutMs: 30_000 });
  expect(done.status).toBe("ok");
}

async function openUsage(ui: RecordedPage, gw: UiGateway): Promise<void> {
  await ui.signIn(gw);
  await ui.page.getByTestId("nav-usage").click();
  await ui.page.getByTestId("screen-usage").waitFor();
}

function cardValue(page: Page, id: string) {
  return page.getByTestId(`usage-card-${id}`).getByTestId("usage-card-value");
}

function modelRowCells(page: Page, name: string): Promise<string[]> {
  return page
    .locator(`[data-testid="usage-by-model-row"][data-name="${name}"]`)
    .locator("th, td")
    .allTextContents();
}

describe("Control UI usage screen", () => {
  it("tells a newcomer how usage gets there, on a fresh gateway and with operator.read only", async () => {
    const { gw, ui } = await open({ authScopes: ["operator.read"], sqliteStorage: true });
    const { page } = ui;
    await openUsage(ui, gw);
    expect(page.url()).toMatch(/#\/usage$/);
    const empty = page.getByTestId("usage-empty");
    await empty.waitFor();
    expect(await empty.textContent()).toContain("Open Chat and send a message");
    expect(await empty.textContent()).toContain("models.providers.<id>.models[].cost");
    expect(await page.getByTestId("usage-report").count()).toBe(0);
    expect(await page.getByTestId("usage-note").count()).toBe(0);
    expect(await page.getByTestId("usage-error").isVisible()).toBe(false);
    expect(await page.getByTestId("usage-range-7d").getAttribute("aria-pressed")).toBe("true");
    await ui.screenshot("usage-empty");
    await ui.expectCleanRecord(gw.token);
  });

  it("shows the exact tokens and cost of chat turns, the unpriced model's note, and filters by agent", async () => {
    const { gw, ui } = await open({
      modelCost: { input: 3, output: 15 },
      extraModels: [{ id: "slow", name: "Slow fake, no price" }],
      sqliteStorage: true,
    });
    const { page } = ui;
    const client = new GatewayClient({ url: gw.server.url, token: gw.token });
    try {
      await client.connect();
      await client.request("agents.create", { name: "Ops" });
      await client.request("sessions.patch", { key: "agent:ops:main", model: "fake/slow" });
      await chatTurn(client, gw, "agent:main:main", { inputTokens: 1_200, outputTokens: 300 });
      await chatTurn(client, gw, "agent:main:main", { inputTokens: 800, outputTokens: 200 });
      await chatTurn(client, gw, "agent:ops:main", { inputTokens: 400, outputTokens: 100 });
      // The gateway writes its usage rows in batches: wait until the last turn's row is in before looking.
      await expect
        .poll(
          async () =>
            (await client.request("sessions.usage", { agentScope: "all", days: 1 })).totals.totalTokens,
        )
        .toBe(3_000);
    } finally {
      await client.close();
    }

    await openUsage(ui, gw);
    await page.getByTestId("usage-report").waitFor();
    // fake/fast: 2,000 in at $3/M + 500 out at $15/M = $0.006 + $0.0075; fake/slow has no price.
    expect(await cardValue(page, "input").textContent()).toBe("2,400");
    expect(await cardValue(page, "output").textContent()).toBe("600");
    expect(await cardValue(page, "cache-read").textContent()).toBe("0");
    expect(await cardValue(page, "total").textContent()).toBe("3,000");
    expect(await cardValue(page, "cost").textContent()).toBe("$0.0135 + unpriced");
    expect(await modelRowCells(page, "fake/fast")).toEqual([
      "fake/fast",
      "2",
      "2,000",
      "500",
      "0",
      "2,500",
      "$0.0135",
    ]);
    expect(await modelRowCells(page, "fake/slow")).toEqual([
      "fake/slow",
      "1",
      "400",
      "100",
      "0",
      "500",
      "no price",
    ]);
    expect(await page.getByTestId("usage-missing-price").allTextContents()).toEqual([
      "1 answer of fake/slow has no price: set models.providers.fake.models[].cost (US$ per million tokens) to " +
        "estimate its cost.",
    ]);
    expect(await page.getByTestId("usage-by-channel-row").locator("th, td").allTextContents()).toEqual([
      "webchat",
      "2,400",
      "600",
      "0",
      "3,000",
      "$0.0135 + unpriced",
    ]);
    const agents = page.getByTestId("usage-by-agent-row");
    expect(await agents.locator("th").allTextContents()).toEqual(["main", "ops"]);
    expect(await page.getByTestId("usage-sessions-row").locator("th").allTextContents()).toEqual([
      "agent:main:main",
      "agent:ops:main",
    ]);
    // Every turn ran today: today's bar holds all 3,000 tokens, the six days before hold none.
    const bars = page.getByTestId("usage-bar");
    expect(await bars.count()).toBe(7);
    expect(await bars.last().getAttribute("data-tokens")).toBe("3000");
    expect(await page.locator('[data-testid="usage-bar"][data-tokens="0"]').count()).toBe(6);
    await ui.screenshot("usage");

    await page.getByLabel("Agent").selectOption("main");
    await expect.poll(() => page.url()).toMatch(/#\/usage\/range%3D7d%26agent%3Dmain$/);
    await expect.poll(() => cardValue(page, "total").textContent()).toBe("2,500");
    expect(await cardValue(page, "cost").textContent()).toBe("$0.0135");
    expect(await page.getByTestId("usage-missing-prices").count()).toBe(0);

    await page.getByTestId("usage-range-today").click();
    await expect.poll(() => page.getByTestId("usage-bar").count()).toBe(1);
    expect(await cardValue(page, "total").textContent()).toBe("2,500");
    await page.reload();
    await expect.poll(() => cardValue(page, "total").textContent()).toBe("2,500");
    expect(await page.getByLabel("Agent").inputValue()).toBe("main");
    await ui.expectCleanRecord(gw.token);
  });

  it("says what is wrong with a custom range instead of asking the gateway", async () => {
    const { gw, ui } = await open({ sqliteStorage: true });
    const { page } = ui;
    await openUsage(ui, gw);
    await page.getByTestId("usage-empty").waitFor();
    await page.getByTestId("usage-range-custom").click();
    await page.getByLabel("From").fill("2026-11-20");
    await page.getByLabel("to", { exact: true }).fill("2026-11-10");
    await page.getByTestId("usage-custom-apply").click();
    await expect
      .poll(() => page.getByTestId("usage-error").textContent())
      .toBe("The first day of the range comes after the last day: swap them.");
    expect(await page.getByTestId("usage-custom").isVisible()).toBe(true);
    await ui.expectCleanRecord(gw.token);
  });
});

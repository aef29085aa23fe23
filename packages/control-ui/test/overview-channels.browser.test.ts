import { createMemoryStorageData } from "@openclaw/sessions";
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, RecordedPage, startUiGateway, type UiGatewayOptions } from "./ui-test-env.js";

/** The four first-party channel kinds, registered as idle fakes. */
const KINDS = [
  { id: "telegram", label: "Telegram" },
  { id: "slack", label: "Slack" },
  { id: "discord", label: "Discord" },
  { id: "whatsapp", label: "WhatsApp" },
];

let browser: Browser;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Signs in on a fresh gateway and returns the Overview's channel rows once the status answer is in. */
async function overviewChannelRows(options: UiGatewayOptions) {
  const gw = await startUiGateway(options);
  cleanups.push(() => gw.close());
  const ui = await RecordedPage.open(browser);
  cleanups.push(() => ui.close());
  const { page } = ui;
  await page.goto(gw.pageUrl);
  await ui.signIn(gw);
  const channels = page.getByTestId("overview-channels");
  await expect.poll(() => channels.textContent()).not.toBe("…");
  const available = page.getByTestId("overview-availableChannels");
  return {
    ui,
    channels: await channels.textContent(),
    available: (await available.count()) > 0 ? await available.textContent() : null,
  };
}

describe("the Overview's channels (issue 17)", () => {
  it("counts no channel as present when none is configured and lists the registered kinds as available", async () => {
    const { ui, channels, available } = await overviewChannelRows({ channelKinds: KINDS });
    expect(channels).toBe("none configured");
    expect(available).toBe(
      "Telegram, Slack, Discord, WhatsApp (not configured; add one with: openclaw config --section channels)",
    );
    await ui.screenshot("overview-no-channels");
  });

  it("shows a configured channel as present and only the others as available", async () => {
    const { channels, available } = await overviewChannelRows({
      channelKinds: KINDS,
      channels: { telegram: { dmPolicy: "open", allowFrom: ["*"] } },
    });
    expect(channels).toBe("telegram");
    expect(available).toBe(
      "Slack, Discord, WhatsApp (not configured; add one with: openclaw config --section channels)",
    );
  });

  it("has no Available row when every registered kind is configured", async () => {
    const { channels, available } = await overviewChannelRows({
      channelKinds: [KINDS[0] as { id: string; label: string }],
      channels: { telegram: { dmPolicy: "open", allowFrom: ["*"] } },
    });
    expect(channels).toBe("telegram");
    expect(available).toBeNull();
  });
});

describe("Overview of a cluster", () => {
  it("lists the instances sharing the store, the one the page talks to first, and the store's state", async () => {
    const data = createMemoryStorageData();
    const first = await startUiGateway({ cluster: { data, instanceId: "aaaa-first" } });
    cleanups.push(() => first.close());
    const second = await startUiGateway({ cluster: { data, instanceId: "bbbb-second" } });
    cleanups.push(() => second.close());
    const ui = await RecordedPage.open(browser);
    cleanups.push(() => ui.close());
    const { page } = ui;
    await page.goto(second.pageUrl);
    await ui.signIn(second);
    const rows = page.getByTestId("overview-instances-table").locator("tbody tr");
    // The member list is re-read every 2 s: refresh until both instances are in it.
    await expect
      .poll(async () => {
        await page.getByTestId("overview-refresh").click();
        return rows.count();
      })
      .toBe(2);
    expect(await rows.nth(0).getAttribute("data-state")).toBe("this one");
    expect(await rows.nth(0).locator("td").first().textContent()).toBe("bbbb");
    expect(await rows.nth(1).getAttribute("data-state")).toBe("alive");
    expect(await rows.nth(1).locator("td").first().textContent()).toBe("aaaa");
    expect(await page.getByTestId("overview-cluster").textContent()).toBe(
      "2 of 2 instance(s) alive; PostgreSQL reachable",
    );
  });

  it("shows no cluster line or instance table for a gateway that runs alone", async () => {
    const gw = await startUiGateway();
    cleanups.push(() => gw.close());
    const ui = await RecordedPage.open(browser);
    cleanups.push(() => ui.close());
    await ui.page.goto(gw.pageUrl);
    await ui.signIn(gw);
    await expect.poll(() => ui.page.getByTestId("overview-bind").textContent()).not.toBe("…");
    expect(await ui.page.getByTestId("overview-cluster").count()).toBe(0);
    expect(await ui.page.getByTestId("overview-instances-table").count()).toBe(0);
  });
});

import type { Browser, Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { launchBrowser, type PluginTool, RecordedPage, startUiGateway } from "./ui-test-env.js";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** Longer than a card's preview, so the result needs "Show more". */
const TIDE_NOTE = "High tide at 06:12, low tide at 12:25. ".repeat(80);

/** A plugin tool the test controls: "tides" answers once the test opens the gate, "missing" fails. */
function lookupNoteTool(gate: Promise<void>): PluginTool {
  return {
    name: "lookup_note",
    description: "Looks up a note by topic",
    parameters: z.object({ topic: z.string().max(100) }),
    execute: async (args) => {
      const { topic } = z.object({ topic: z.string() }).parse(args);
      if (topic !== "tides") throw new Error(`no note about ${topic}`);
      await gate;
      return { topic, note: TIDE_NOTE };
    },
  };
}

function card(page: RecordedPage["page"], status: string): Locator {
  return page.locator(`[data-testid="tool-call"][data-status="${status}"]`);
}

describe("Control UI chat with tool calls", () => {
  it("shows each call as a collapsed card, live and from history, that expands to its args and result", async () => {
    let openGate: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    const gw = await startUiGateway({ tools: [lookupNoteTool(gate)] });
    const ui = await RecordedPage.open(browser);
    const { page } = ui;
    try {
      gw.fake.enqueue(
        {
          toolCalls: [
            { id: "call_tides", name: "lookup_note", arguments: { topic: "tides" } },
            { id: "call_moon", name: "lookup_note", arguments: { topic: "moon" } },
          ],
        },
        { text: "High tide is at 06:12." },
      );
      await ui.signIn(gw);
      await page.getByTestId("nav-chat").click();
      await page.getByLabel("Message").fill("when is high tide?");
      await page.getByRole("button", { name: "Send" }).click();

      // Live: the failed call says so while the slow one is still running.
      const failed = card(page, "error");
      await failed.waitFor({ timeout: 30_000 });
      expect(await failed.getByTestId("tool-call-summary").textContent()).toBe('{"topic":"moon"}');
      expect(await failed.getByTestId("tool-call-status").textContent()).toBe("error");
      const running = card(page, "running");
      expect(await running.count()).toBe(1);
      expect(await running.getByTestId("tool-call-summary").textContent()).toBe('{"topic":"tides"}');
      expect(await running.getByTestId("tool-call-status").textContent()).toBe("running");
      await ui.screenshot("chat-tool-running");
      openGate();

      const done = page.locator('[data-testid="chat-assistant"][data-status="done"]');
      await done.waitFor({ timeout: 30_000 });
      expect(await done.locator("p.text").textContent()).toBe("High tide is at 06:12.");
      await expectCardsExpand(page);
      await ui.screenshot("chat-tool-expanded");

      // From history: a fresh load of the screen shows the same cards, collapsed.
      await page.reload();
      await page.locator('[data-testid="chat-assistant"][data-status="done"]').waitFor();
      await expect.poll(() => page.getByTestId("tool-call").count()).toBe(2);
      expect(await page.getByTestId("tool-call-details").first().isVisible()).toBe(false);
      await expectCardsExpand(page);
      await ui.expectCleanRecord(gw.token);
    } finally {
      await ui.close();
      await gw.close();
    }
  });
});

/** Opens both cards: the good call shows its args and a clipped result with "Show more", the failed one its error. */
async function expectCardsExpand(page: RecordedPage["page"]): Promise<void> {
  const ok = card(page, "ok");
  const toggle = ok.getByRole("button", { name: /lookup_note/ });
  expect(await toggle.getAttribute("aria-expanded")).toBe("false");
  expect(await ok.getByTestId("tool-call-details").isVisible()).toBe(false);
  await toggle.click();
  expect(await toggle.getAttribute("aria-expanded")).toBe("true");
  expect(JSON.parse((await ok.getByTestId("tool-call-args").textContent()) ?? "")).toEqual({
    topic: "tides",
  });
  const result = ok.getByTestId("tool-call-result");
  const clipped = (await result.textContent()) ?? "";
  expect(clipped.length).toBeLessThan(TIDE_NOTE.length);
  const more = ok.getByTestId("tool-call-result-more");
  expect(await more.textContent()).toMatch(/^Show more \(\d+ more characters\)$/);
  await more.click();
  expect(await more.getAttribute("aria-expanded")).toBe("true");
  expect(JSON.parse((await result.textContent()) ?? "")).toEqual({ topic: "tides", note: TIDE_NOTE });

  const failed = card(page, "error");
  await failed.getByRole("button", { name: /lookup_note/ }).click();
  expect(await failed.getByTestId("tool-call-result").textContent()).toContain("no note about moon");
}

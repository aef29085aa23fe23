import { readFile, writeFile } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, RecordedPage, startUiGateway, type UiGateway } from "./ui-test-env.js";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe("Control UI config screen and the file on disk", () => {
  it("says the file on disk is invalid and the last good config runs, and a fixed save clears it", async () => {
    const gw = await startUiGateway();
    const ui = await RecordedPage.open(browser);
    try {
      await expectInvalidFileNoticeUntilFixed(gw, ui);
    } finally {
      await ui.close();
      await gw.close();
    }
  });
});

async function expectInvalidFileNoticeUntilFixed(gw: UiGateway, ui: RecordedPage): Promise<void> {
  const { page } = ui;
  await ui.signIn(gw);

  const original = await readFile(gw.configPath, "utf8");
  const broken = '{ "gateway": { "port": "not-a-port" } }\n';
  await writeFile(gw.configPath, broken, "utf8");
  await page.getByTestId("nav-config").click();
  const editor = page.getByLabel("Config file (JSON5)");
  await expect.poll(() => editor.inputValue()).toBe(broken);
  const notice = page.getByTestId("config-error");
  await notice.waitFor();
  expect(await notice.textContent()).toContain("the gateway keeps running the last good config");
  expect(await page.getByTestId("config-issue").first().textContent()).toContain("gateway.port");

  await editor.fill(original);
  await page.getByRole("button", { name: "Save" }).click();
  await expect.poll(() => page.getByTestId("config-status").textContent()).toContain("Saved");
  await page.getByTestId("config-load").click();
  await expect.poll(() => page.getByTestId("config-status").textContent()).toBe("Loaded.");
  expect(await notice.isVisible()).toBe(false);
  await ui.expectCleanRecord(gw.token);
}

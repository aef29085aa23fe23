import { userImages } from "@openclaw/testing";
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, RecordedPage, startUiGateway, type UiGateway } from "./ui-test-env.js";

/** A 1×1 PNG, as a user would pick it from disk. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

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

describe("Control UI chat attachments", () => {
  it("attaches a picture the model then sees, and shows it on the message, also after a reload", async () => {
    const gw: UiGateway = await startUiGateway({ modelInput: ["text", "image"] });
    cleanups.push(() => gw.close());
    const ui = await RecordedPage.open(browser);
    cleanups.push(() => ui.close());
    const { page } = ui;
    await ui.signIn(gw);
    await page.getByTestId("nav-chat").click();
    await page.getByTestId("screen-chat").waitFor();

    gw.fake.enqueue({ text: "A single transparent pixel." });
    await page
      .getByTestId("chat-attach")
      .setInputFiles({ name: "pixel.png", mimeType: "image/png", buffer: PNG });
    await expect
      .poll(() => page.getByTestId("chat-pending-attachment").allTextContents())
      .toEqual([expect.stringContaining("pixel.png")]);
    await page.getByLabel("Message").fill("what is this?");
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator('[data-testid="chat-assistant"][data-status="done"]').waitFor({ timeout: 30_000 });

    const [request] = await gw.fake.waitForRequests(1);
    expect(userImages(request as NonNullable<typeof request>)).toEqual([
      { mediaType: "image/png", base64: PNG.toString("base64"), url: undefined },
    ]);
    expect(await page.getByTestId("chat-attachment").allTextContents()).toEqual([
      "pixel.png · image/png · 70 B",
    ]);
    expect(await page.getByTestId("chat-pending-attachment").count()).toBe(0);
    await ui.screenshot("chat-attachment");

    await page.reload();
    await page.getByTestId("screen-chat").waitFor();
    await expect
      .poll(() => page.getByTestId("chat-attachment").allTextContents(), { timeout: 30_000 })
      .toEqual(["pixel.png · image/png · 70 B"]);
    await ui.expectCleanRecord(gw.token);
  });
});

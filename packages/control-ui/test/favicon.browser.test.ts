import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, RecordedPage, startUiGateway, type UiGatewayOptions } from "./ui-test-env.js";

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

async function gateway(options: UiGatewayOptions = {}) {
  const started = await startUiGateway(options);
  cleanups.push(() => started.close());
  return started;
}

/** The sizes an ICO file's directory lists (0 in a size byte means 256). */
function icoSizes(bytes: Buffer): number[] {
  expect(bytes.readUInt16LE(0), "ICO reserved field").toBe(0);
  expect(bytes.readUInt16LE(2), "ICO type (1 = icon)").toBe(1);
  const count = bytes.readUInt16LE(4);
  return Array.from({ length: count }, (_, index) => bytes.readUInt8(6 + 16 * index) || 256);
}

describe("the Control UI's icon (issue 17)", () => {
  it("is a real 16x16 + 32x32 ICO at /favicon.ico and an SVG, both linked from the page", async () => {
    const gw = await gateway();
    const ico = await fetch(`${gw.server.httpUrl}/favicon.ico`);
    expect(ico.status).toBe(200);
    expect(ico.headers.get("content-type")).toBe("image/x-icon");
    expect(icoSizes(Buffer.from(await ico.arrayBuffer()))).toEqual([16, 32]);

    const svg = await fetch(`${gw.server.httpUrl}/favicon.svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get("content-type")).toBe("image/svg+xml");
    expect(await svg.text()).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);

    const ui = await RecordedPage.open(browser);
    cleanups.push(() => ui.close());
    await ui.page.goto(gw.pageUrl);
    const icons = await ui.page.evaluate(() =>
      [...document.querySelectorAll<HTMLLinkElement>('link[rel="icon"]')].map((link) => link.href),
    );
    expect(icons).toEqual([`${gw.server.httpUrl}/favicon.ico`, `${gw.server.httpUrl}/favicon.svg`]);
    // The browser decodes both as images under the page's CSP.
    const decoded = await ui.page.evaluate(async (urls) => {
      return Promise.all(
        urls.map(
          (url) =>
            new Promise<number>((resolve) => {
              const image = new Image();
              image.onload = () => resolve(image.naturalWidth);
              image.onerror = () => resolve(0);
              image.src = url;
            }),
        ),
      );
    }, icons);
    expect(decoded.every((width) => width > 0)).toBe(true);
  });

  it("is linked under the base path, and /favicon.ico at the root still answers with it", async () => {
    const gw = await gateway({ basePath: "/openclaw" });
    const ui = await RecordedPage.open(browser);
    cleanups.push(() => ui.close());
    await ui.page.goto(gw.pageUrl);
    const icons = await ui.page.evaluate(() =>
      [...document.querySelectorAll<HTMLLinkElement>('link[rel="icon"]')].map((link) => link.href),
    );
    expect(icons).toEqual([
      `${gw.server.httpUrl}/openclaw/favicon.ico`,
      `${gw.server.httpUrl}/openclaw/favicon.svg`,
    ]);
    for (const url of [...icons, `${gw.server.httpUrl}/favicon.ico`]) {
      expect((await fetch(url)).status, url).toBe(200);
    }
  });
});

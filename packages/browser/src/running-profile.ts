import type { Browser, BrowserContext, Page } from "playwright-core";
import { BrowserError } from "./browser-error.js";
import type { BrowserSsrfPolicy } from "./browser-settings.js";
import { BrowserTabs, type TabInfo } from "./browser-tabs.js";
import { type ChromiumLaunchOptions, type ChromiumProcess, launchChromium } from "./chromium-process.js";
import { loadPlaywright } from "./load-playwright.js";
import type { NavigationGuard } from "./navigation-guard.js";
import { type PolicyProxy, startPolicyProxy } from "./policy-proxy.js";

const NAVIGATION_TIMEOUT_MS = 30_000;
const ACTION_TIMEOUT_MS = 8_000;

/** The kinds of `act` this gateway performs, by snapshot ref. */
export const ACT_KINDS = [
  "click",
  "type",
  "press",
  "hover",
  "select",
  "fill",
  "scrollIntoView",
  "wait",
] as const;
export type ActKind = (typeof ACT_KINDS)[number];

export interface ActRequest {
  kind: ActKind;
  ref?: string;
  text?: string;
  key?: string;
  values?: string[];
  submit?: boolean;
  doubleClick?: boolean;
  timeMs?: number;
  timeoutMs?: number;
}

/**
 * One launched profile: its Chromium process, the Playwright connection over loopback CDP, the tabs, and the policy
 * proxy every request of the browser goes through (a refused one never leaves the machine).
 */
export class RunningProfile {
  readonly process: ChromiumProcess;
  readonly tabs: BrowserTabs;
  readonly #browser: Browser;
  readonly #context: BrowserContext;
  readonly #guard: NavigationGuard;
  readonly #proxy: PolicyProxy;

  private constructor(
    process: ChromiumProcess,
    browser: Browser,
    context: BrowserContext,
    guard: NavigationGuard,
    proxy: PolicyProxy,
  ) {
    this.process = process;
    this.#browser = browser;
    this.#context = context;
    this.#guard = guard;
    this.#proxy = proxy;
    this.tabs = new BrowserTabs(context);
  }

  static async start(
    launch: Omit<ChromiumLaunchOptions, "proxyServer">,
    guard: NavigationGuard,
    policy: () => BrowserSsrfPolicy | undefined,
  ): Promise<RunningProfile> {
    const { chromium } = await loadPlaywright();
    const proxy = await startPolicyProxy(policy);
    let process: ChromiumProcess;
    try {
      process = await launchChromium({ ...launch, proxyServer: proxy.url });
    } catch (error) {
      await proxy.close();
      throw error;
    }
    try {
      const browser = await chromium.connectOverCDP(process.cdpUrl, { timeout: 15_000 });
      const context = browser.contexts()[0] ?? (await browser.newContext());
      context.setDefaultTimeout(ACTION_TIMEOUT_MS);
      context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
      return new RunningProfile(process, browser, context, guard, proxy);
    } catch (error) {
      await process.stop();
      await proxy.close();
      throw error instanceof BrowserError
        ? error
        : new BrowserError(
            "BROWSER_START_FAILED",
            `could not attach to Chromium over CDP: ${(error as Error).message}`,
            {
              cause: error,
            },
          );
    }
  }

  get running(): boolean {
    return this.#browser.isConnected();
  }

  async stop(): Promise<void> {
    await this.#browser.close().catch(() => undefined);
    await this.process.stop();
    await this.#proxy.close();
  }

  async open(url: string): Promise<TabInfo> {
    await this.#guard.check(url);
    const page = await this.#context.newPage();
    this.tabs.setCurrent(page);
    await this.#goto(page, url);
    return this.tabs.describe(page);
  }

  async navigate(handle: string | undefined, url: string): Promise<TabInfo> {
    await this.#guard.check(url);
    const page = await this.tabs.resolve(handle);
    this.tabs.setCurrent(page);
    await this.#goto(page, url);
    return this.tabs.describe(page);
  }

  async #goto(page: Page, url: string): Promise<void> {
    this.#proxy.clearRefusal();
    try {
      await page.goto(url, { waitUntil: "domcontentloaded" });
    } catch (error) {
      const blocked = this.#proxy.lastRefusal;
      if (blocked) throw new BrowserError("NAVIGATION_BLOCKED", blocked.message, { cause: error });
      throw new BrowserError("ACT_OPERATION_FAILED", `navigation to ${url} failed: ${firstLine(error)}`, {
        cause: error,
      });
    }
    // A redirect into a refused address ends on the proxy's "Blocked" answer; the final URL says so clearly.
    await this.#guard.check(page.url());
  }

  async focus(handle: string): Promise<TabInfo> {
    const page = await this.tabs.resolve(handle);
    await page.bringToFront();
    this.tabs.setCurrent(page);
    return this.tabs.describe(page);
  }

  async close(handle: string | undefined): Promise<TabInfo> {
    const page = await this.tabs.resolve(handle);
    const info = await this.tabs.describe(page);
    await page.close();
    return info;
  }

  /** The page's accessibility tree in Playwright's AI format: `- button "Save" [ref=e12]`, refs resolved by `act`. */
  async snapshot(handle: string | undefined, depth?: number): Promise<{ tab: TabInfo; text: string }> {
    const page = await this.tabs.resolve(handle);
    await this.#guard.check(page.url());
    // The tab's title and target id are read while the page computes its tree, not after.
    const [text, tab] = await Promise.all([
      page.ariaSnapshot({
        mode: "ai",
        timeout: ACTION_TIMEOUT_MS,
        ...(depth !== undefined ? { depth } : {}),
      }),
      this.tabs.describe(page),
    ]);
    return { tab, text };
  }

  async act(handle: string | undefined, request: ActRequest): Promise<Page> {
    const page = await this.tabs.resolve(handle);
    this.tabs.setCurrent(page);
    const timeout = request.timeoutMs ?? ACTION_TIMEOUT_MS;
    if (request.kind === "wait") {
      await page.waitForTimeout(Math.min(request.timeMs ?? 1000, 30_000));
      return page;
    }
    if (!request.ref) {
      throw new BrowserError(
        "INVALID_REQUEST",
        `act kind "${request.kind}" needs a ref from the latest snapshot`,
      );
    }
    const target = page.getByRef(request.ref);
    // A ref from an older snapshot (or none) would make Playwright wait out the whole timeout: say so at once.
    if ((await target.count().catch(() => 0)) === 0) throw staleRef(request.ref);
    try {
      switch (request.kind) {
        case "click":
          await (request.doubleClick ? target.dblclick({ timeout }) : target.click({ timeout }));
          break;
        case "hover":
          await target.hover({ timeout });
          break;
        case "scrollIntoView":
          await target.scrollIntoViewIfNeeded({ timeout });
          break;
        case "type":
        case "fill":
          await target.fill(request.text ?? "", { timeout });
          if (request.submit) await target.press("Enter", { timeout });
          break;
        case "press":
          await target.press(request.key ?? "Enter", { timeout });
          break;
        case "select":
          await target.selectOption(request.values ?? [], { timeout });
          break;
      }
    } catch (error) {
      throw new BrowserError(
        "ACT_OPERATION_FAILED",
        `${request.kind} on ${request.ref} failed: ${firstLine(error)}`,
        {
          cause: error,
        },
      );
    }
    return page;
  }

  async screenshot(
    handle: string | undefined,
    options: { fullPage: boolean; type: "png" | "jpeg"; ref?: string },
  ): Promise<{ page: Page; data: Buffer }> {
    const page = await this.tabs.resolve(handle);
    await this.#guard.check(page.url());
    const data = options.ref
      ? await page.getByRef(options.ref).screenshot({ type: options.type })
      : await page.screenshot({ fullPage: options.fullPage, type: options.type });
    return { page, data };
  }

  async pdf(handle: string | undefined): Promise<{ page: Page; data: Buffer }> {
    const page = await this.tabs.resolve(handle);
    await this.#guard.check(page.url());
    return { page, data: await page.pdf({ printBackground: true }) };
  }
}

function staleRef(ref: string): BrowserError {
  return new BrowserError(
    "REF_NOT_FOUND",
    `ref ${ref} is not in the latest snapshot of this tab: take a new snapshot and use its refs`,
  );
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split("\n")[0] ?? "";
}

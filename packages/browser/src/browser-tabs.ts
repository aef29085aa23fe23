import type { BrowserContext, Page } from "playwright-core";
import { BrowserError } from "./browser-error.js";

export interface TabInfo {
  /** The handle to pass back (`t1`); stable while the tab is open. */
  suggestedTargetId: string;
  tabId: string;
  /** Chromium's own target id (volatile across restarts). */
  targetId: string;
  title: string;
  url: string;
  type: "page";
}

/** The pages of one browser context with stable `t<n>` handles, the raw CDP target ids, and the current tab. */
export class BrowserTabs {
  readonly #context: BrowserContext;
  readonly #ids = new WeakMap<Page, string>();
  readonly #targetIds = new WeakMap<Page, string>();
  #next = 1;
  #current: Page | undefined;

  constructor(context: BrowserContext) {
    this.#context = context;
    for (const page of context.pages()) this.#track(page);
    context.on("page", (page) => this.#track(page));
  }

  #track(page: Page): string {
    let id = this.#ids.get(page);
    if (id === undefined) {
      id = `t${this.#next++}`;
      this.#ids.set(page, id);
      page.once("close", () => {
        if (this.#current === page) this.#current = undefined;
      });
    }
    return id;
  }

  setCurrent(page: Page): void {
    this.#track(page);
    this.#current = page;
  }

  async #targetId(page: Page): Promise<string> {
    const known = this.#targetIds.get(page);
    if (known) return known;
    const session = await this.#context.newCDPSession(page);
    try {
      const { targetInfo } = (await session.send("Target.getTargetInfo")) as {
        targetInfo: { targetId: string };
      };
      this.#targetIds.set(page, targetInfo.targetId);
      return targetInfo.targetId;
    } finally {
      await session.detach().catch(() => undefined);
    }
  }

  async describe(page: Page): Promise<TabInfo> {
    const tabId = this.#track(page);
    return {
      suggestedTargetId: tabId,
      tabId,
      targetId: await this.#targetId(page),
      title: await page.title().catch(() => ""),
      url: page.url(),
      type: "page",
    };
  }

  async list(): Promise<TabInfo[]> {
    return Promise.all(this.#context.pages().map((page) => this.describe(page)));
  }

  /**
   * The page a request names: a `t<n>` handle, a raw target id or a unique prefix of one; without a name, the
   * current tab (the last one opened, focused or acted on), else the first open page.
   */
  async resolve(handle: string | undefined): Promise<Page> {
    const pages = this.#context.pages();
    if (handle === undefined || handle === "") {
      const page = this.#current && !this.#current.isClosed() ? this.#current : pages[0];
      if (!page) {
        throw new BrowserError("TAB_NOT_FOUND", "no tab is open: use action=open with a targetUrl first");
      }
      return page;
    }
    const byId = pages.find((page) => this.#ids.get(page) === handle);
    if (byId) return byId;
    const withTargets = await Promise.all(
      pages.map(async (page) => ({ page, id: await this.#targetId(page) })),
    );
    const exact = withTargets.find((entry) => entry.id === handle);
    if (exact) return exact.page;
    const prefixed = withTargets.filter((entry) => entry.id.startsWith(handle.toUpperCase()));
    if (prefixed.length === 1 && prefixed[0]) return prefixed[0].page;
    throw new BrowserError(
      "TAB_NOT_FOUND",
      `no open tab matches targetId ${JSON.stringify(handle)}: call action=tabs and pass a suggestedTargetId`,
    );
  }
}

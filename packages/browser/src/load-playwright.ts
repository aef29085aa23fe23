import { BrowserError } from "./browser-error.js";

export type Playwright = typeof import("playwright-core");

let loading: Promise<Playwright> | undefined;

/** playwright-core, imported on the first browser start only: a gateway that never opens a page never loads it. */
export function loadPlaywright(): Promise<Playwright> {
  loading ??= import("playwright-core").catch((error: unknown) => {
    loading = undefined;
    throw new BrowserError(
      "PLAYWRIGHT_MISSING",
      `playwright-core could not be loaded (${(error as Error).message}): reinstall @openclaw/browser so its dependency is present`,
      { cause: error },
    );
  });
  return loading;
}

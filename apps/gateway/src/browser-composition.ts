import type { BrowserErrorCode, BrowserRequestParams } from "@openclaw/browser";
import type { GatewayServer, PluginRegistry } from "@openclaw/gateway-core";
import { loadConfig, resolveConfigPaths } from "@openclaw/gateway-core";
import { missingPackageImporter } from "./channel-package.js";

type BrowserModule = typeof import("@openclaw/browser");

export interface BrowserComposition {
  close(): Promise<void>;
}

/**
 * Adds the `browser` agent tool and the `browser.request` method when `@openclaw/browser` is installed (an optional
 * peer, like the channels: the default install stays small). The package itself is light; playwright-core and
 * Chromium load on the first browser action. Each call reads the `browser` section of the config file afresh.
 */
export async function composeBrowser(
  registry: PluginRegistry,
  o: { stateDir?: string; configPath?: string; env?: NodeJS.ProcessEnv },
): Promise<BrowserComposition | undefined> {
  const browser = await importBrowserPackage();
  if (!browser || registry.tools().some((tool) => tool.name === "browser")) return undefined;
  const env = o.env ?? process.env;
  const paths = resolveConfigPaths({ env, stateDir: o.stateDir, configPath: o.configPath });
  const control = browser.createBrowserControl({
    stateDir: paths.stateDir,
    env: { ...process.env, ...env },
    settings: async () => (await loadConfig(paths.configPath)).config.browser,
  });
  registry.registerTool(browser.createBrowserTool(control));
  registry.registerMethod({
    name: "browser.request",
    scope: "operator.admin",
    description: "One call of the browser control API ({ method, path, query, body }), as OpenClaw's.",
    params: browser.BrowserRequestParamsSchema,
    // The gateway parsed the params with the schema above before the handler runs.
    handler: async (raw, context) => {
      const params = raw as BrowserRequestParams;
      if (params.target === "node") {
        throw new browser.BrowserError(
          "INVALID_REQUEST",
          'browser.request: this gateway has no browser nodes; omit target or use target "host"',
        );
      }
      const response = await withDeadline(
        params.timeoutMs,
        control.request({
          method: params.method,
          path: params.path,
          ...(params.query ? { query: params.query } : {}),
          body: params.body,
          ...(context.signal ? { signal: context.signal } : {}),
        }),
        () =>
          new browser.BrowserError(
            "BROWSER_TIMEOUT",
            `browser.request ${params.method} ${params.path} took longer than timeoutMs (${params.timeoutMs} ms)`,
          ),
      );
      if (response.status >= 400) {
        // A coded error reaches the client as INVALID_REQUEST with details.code (NAVIGATION_BLOCKED, TAB_NOT_FOUND...).
        const code = (response.body.code as BrowserErrorCode | undefined) ?? "ACT_OPERATION_FAILED";
        throw new browser.BrowserError(
          code,
          String(response.body.error ?? `browser request failed (${response.status})`),
        );
      }
      return response.body;
    },
  });
  return { close: () => control.close() };
}

/** The answer, or a timeout error after `timeoutMs` (the browser work itself carries on to its own deadline). */
async function withDeadline<T>(
  timeoutMs: number | undefined,
  work: Promise<T>,
  timedOut: () => Error,
): Promise<T> {
  if (timeoutMs === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut()), timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function importBrowserPackage(): Promise<BrowserModule | undefined> {
  try {
    return await import("@openclaw/browser");
  } catch (error) {
    if (missingPackageImporter(error, "@openclaw/browser") !== undefined) return undefined;
    throw error;
  }
}

/** The server, whose close also stops every Chromium the browser started. */
export function closingBrowserWith(
  server: GatewayServer,
  browser: BrowserComposition | undefined,
): GatewayServer {
  if (!browser) return server;
  const close: GatewayServer["close"] = async (options) => {
    try {
      await server.close(options);
    } finally {
      await browser.close();
    }
  };
  // GatewayServer's members are getters over live state: forward them, replace only close.
  return new Proxy(server, {
    get: (target, key, receiver) => (key === "close" ? close : Reflect.get(target, key, receiver)),
  });
}

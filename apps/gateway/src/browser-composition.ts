import type { BrowserControl, BrowserErrorCode } from "@openclaw/browser";
import type { GatewayServer, PluginRegistry } from "@openclaw/gateway-core";
import { loadConfig, resolveConfigPaths } from "@openclaw/gateway-core";
import { z } from "zod";

type BrowserModule = typeof import("@openclaw/browser");

export interface BrowserComposition {
  close(): Promise<void>;
}

/**
 * Adds the `browser` agent tool and the `browser.request` method when `@openclaw/browser` is installed (an optional
 * peer, like the channels: the default install stays small). Nothing of the package loads with the gateway: the
 * tool loads with the other tools on first use, and the method on its first call, so an installed browser costs
 * no start time or idle memory; playwright-core and Chromium load on the first browser action. Each call reads the
 * `browser` section of the config file afresh.
 */
export function composeBrowser(
  registry: PluginRegistry,
  o: { stateDir?: string; configPath?: string; env?: NodeJS.ProcessEnv },
): BrowserComposition | undefined {
  if (!browserPackageInstalled() || registry.tools().some((tool) => tool.name === "browser"))
    return undefined;
  const env = o.env ?? process.env;
  const paths = resolveConfigPaths({ env, stateDir: o.stateDir, configPath: o.configPath });
  let loading: Promise<{ browser: BrowserModule; control: BrowserControl }> | undefined;
  const load = () => {
    loading ??= import("@openclaw/browser").then((browser) => ({
      browser,
      control: browser.createBrowserControl({
        stateDir: paths.stateDir,
        env: { ...process.env, ...env },
        settings: async () => (await loadConfig(paths.configPath)).config.browser,
      }),
    }));
    return loading;
  };
  registry.registerToolLoader(async () => {
    const { browser, control } = await load();
    return [browser.createBrowserTool(control)];
  });
  registry.registerMethod({
    name: "browser.request",
    scope: "operator.admin",
    description: "One call of the browser control API ({ method, path, query, body }), as OpenClaw's.",
    // The package's own schema checks the params once it has loaded (below); this one only bounds the envelope.
    params: z.looseObject({}),
    handler: async (raw, context) => {
      const { browser, control } = await load();
      const parsed = browser.BrowserRequestParamsSchema.safeParse(raw);
      if (!parsed.success) {
        throw new browser.BrowserError(
          "INVALID_REQUEST",
          `browser.request: ${z.prettifyError(parsed.error)}`,
        );
      }
      const params = parsed.data;
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
  return {
    close: async () => {
      if (!loading) return;
      const { control } = await loading;
      await control.close();
    },
  };
}

/** Whether the optional package resolves from here, without loading it. */
function browserPackageInstalled(): boolean {
  try {
    import.meta.resolve("@openclaw/browser");
    return true;
  } catch {
    return false;
  }
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

import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type GatewayServer, PluginRegistry, startGateway } from "@openclaw/gateway-core";
import { PROTOCOL_VERSION } from "@openclaw/protocol";
import { createMemoryStorage, type MemoryStorageData } from "@openclaw/sessions";
import { sqliteStorageDriver } from "@openclaw/store-sqlite";
import { type FakeModelServer, startFakeModelServer } from "@openclaw/testing";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { controlUiAssetsDir } from "../src/index.js";
import { createUnlinkedWhatsAppChannel, type FakeWhatsAppChannel } from "./fake-whatsapp-channel.js";
import { createIdleChannel } from "./idle-channel.js";

export const CHROMIUM_PATH = process.env.OPENCLAW_CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS_DIR = fileURLToPath(new URL("../test-artifacts", import.meta.url));

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `the Control UI browser tests need Chromium at ${CHROMIUM_PATH}: install it (Debian: apt-get install chromium) ` +
        "or point OPENCLAW_CHROMIUM_PATH at a Chromium binary; no browser is ever downloaded",
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ["--no-sandbox"] });
}

export interface UiGateway {
  server: GatewayServer;
  fake: FakeModelServer;
  token: string;
  stateDir: string;
  configPath: string;
  /** The fake WhatsApp channel, when `unlinkedWhatsApp` registered one. */
  whatsapp?: FakeWhatsAppChannel;
  /** `http://127.0.0.1:<port><basePath>/`, where the UI's page is. */
  pageUrl: string;
  close(): Promise<void>;
}

export interface UiGatewayOptions {
  /** Serve the UI under this path, e.g. `/openclaw`. */
  basePath?: string;
  /** Register a fake, never-linked `whatsapp` channel with one configured account (`default`). */
  unlinkedWhatsApp?: boolean;
  /** Default "token". The secret is `UiGateway.token` either way ("none" needs none: loopback only). */
  authMode?: "token" | "password" | "none";
  /** `gateway.auth.scopes`: narrows what the shared credential grants. */
  authScopes?: string[];
  /** Agent tools a plugin brings, offered to the model like any other tool. */
  tools?: PluginTool[];
  /** The fake model's `input` (OpenClaw's `["text", "image"]` makes it see images). */
  modelInput?: string[];
  /** Channel kinds registered as idle fakes (see `createIdleChannel`); only those in `channels` are configured. */
  channelKinds?: { id: string; label: string }[];
  /** The config's `channels` section. */
  channels?: Record<string, unknown>;
  /** `models.providers.fake.models[0].cost` of the default model `fake/fast`: US dollars per million tokens. */
  modelCost?: { input?: number; output?: number; cacheRead?: number; cacheWrite?: number };
  /** More models of the `fake` provider (same fake server), e.g. one without a price. */
  extraModels?: { id: string; name: string }[];
  /**
   * Keep state in SQLite (`storage.driver` "sqlite", the product's default) instead of the legacy file layout,
   * which records no usage ledger.
   */
  sqliteStorage?: boolean;
  /**
   * One instance of an in-process cluster: gateways given the same `data` share one memory store and see each
   * other as instances (membership, events), as gateways on one PostgreSQL schema do.
   */
  cluster?: { data: MemoryStorageData; instanceId: string };
}

export type PluginTool = Parameters<PluginRegistry["registerTool"]>[0];

/** A gateway serving the built UI, with a fake OpenAI-compatible model as its default. */
export async function startUiGateway(options: UiGatewayOptions = {}): Promise<UiGateway> {
  const fake = await startFakeModelServer();
  const stateDir = await mkdtemp(join(tmpdir(), "openclaw-control-ui-"));
  const configPath = join(stateDir, "openclaw.json");
  const token = `ui-token-${randomUUID()}`;
  const config = {
    models: {
      providers: {
        fake: {
          baseUrl: fake.baseUrlFor("openai-completions"),
          apiKey: "fake-key",
          api: "openai-completions",
          models: [
            {
              id: "fast",
              name: "Fast fake",
              contextWindow: 32_000,
              ...(options.modelInput ? { input: options.modelInput } : {}),
              ...(options.modelCost ? { cost: options.modelCost } : {}),
            },
            ...(options.extraModels ?? []).map((model) => ({ ...model, contextWindow: 32_000 })),
          ],
        },
      },
    },
    agents: { defaults: { model: { primary: "fake/fast" } } },
    gateway: {
      ...(options.basePath ? { controlUi: { basePath: options.basePath } } : {}),
      ...(options.authScopes ? { auth: { scopes: options.authScopes } } : {}),
    },
    ...(options.unlinkedWhatsApp || options.channels
      ? { channels: { ...(options.unlinkedWhatsApp ? { whatsapp: {} } : {}), ...options.channels } }
      : {}),
  };
  const plugins = new PluginRegistry();
  const whatsapp = options.unlinkedWhatsApp ? createUnlinkedWhatsAppChannel() : undefined;
  if (whatsapp !== undefined) plugins.registerChannel(whatsapp.plugin);
  for (const kind of options.channelKinds ?? [])
    plugins.registerChannel(createIdleChannel(kind.id, kind.label));
  for (const tool of options.tools ?? []) plugins.registerTool(tool);
  if (options.sqliteStorage) plugins.registerStorageDriver(sqliteStorageDriver);
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`, "utf8");
  let server: GatewayServer;
  try {
    server = await startGateway({
      port: 0,
      stateDir,
      configPath,
      auth:
        options.authMode === "password"
          ? { mode: "password", password: token }
          : options.authMode === "none"
            ? { mode: "none" }
            : { mode: "token", token },
      controlUiRoot: controlUiAssetsDir(),
      plugins,
      env: {},
      ...(options.cluster
        ? {
            storage: createMemoryStorage({ data: options.cluster.data }),
            instanceId: options.cluster.instanceId,
            cluster: true,
          }
        : {}),
    });
  } catch (error) {
    await fake.close();
    await rm(stateDir, { recursive: true, force: true });
    throw error;
  }
  return {
    server,
    fake,
    token,
    ...(whatsapp === undefined ? {} : { whatsapp }),
    stateDir,
    configPath,
    pageUrl: `${server.httpUrl}${options.basePath ?? ""}/`,
    close: async () => {
      await server.close({ reason: "test finished" });
      await fake.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

export interface UiHarness {
  /** A gateway (see `startUiGateway`) and a fresh page, both closed after the current test. */
  open(options?: UiGatewayOptions): Promise<{ gw: UiGateway; ui: RecordedPage }>;
}

/**
 * One browser for a test file and a gateway and page per test, closed after it (the page first). Call once at the
 * top of a test file: it registers the vitest hooks.
 */
export function useUiHarness(): UiHarness {
  let browser: Browser | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    open: async (options = {}) => {
      if (browser === undefined) throw new Error("useUiHarness().open runs inside a test, after beforeAll");
      const gw = await startUiGateway(options);
      cleanups.push(() => gw.close());
      const ui = await RecordedPage.open(browser);
      cleanups.push(() => ui.close());
      return { gw, ui };
    },
  };
}

/**
 * A fresh browser context (own sessionStorage) whose console output and visited URLs are recorded, so a test
 * can prove the credential never shows up in either.
 */
export class RecordedPage {
  readonly console: string[] = [];
  readonly urls: string[] = [];
  readonly context: BrowserContext;
  readonly page: Page;

  private constructor(context: BrowserContext, page: Page) {
    this.context = context;
    this.page = page;
    page.on("console", (message) => this.console.push(`${message.type()}: ${message.text()}`));
    page.on("pageerror", (error) => this.console.push(`pageerror: ${error.message}`));
    page.on("framenavigated", (frame) => this.urls.push(frame.url()));
  }

  static async open(browser: Browser): Promise<RecordedPage> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    return new RecordedPage(context, await context.newPage());
  }

  async signIn(
    gateway: UiGateway,
    secret = gateway.token,
    kind: "token" | "password" = "token",
  ): Promise<void> {
    const { page } = this;
    if (!page.url().startsWith(gateway.pageUrl)) await page.goto(gateway.pageUrl);
    await page.getByRole("radio", { name: kind === "token" ? "Token" : "Password" }).check();
    await page.getByLabel(kind === "token" ? "Gateway token" : "Gateway password").fill(secret);
    await page.getByRole("button", { name: "Sign in" }).click();
  }

  async screenshot(screen: string): Promise<void> {
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await this.page.screenshot({ path: join(ARTIFACTS_DIR, `${screen}.png`), fullPage: true });
  }

  /** The token must appear in neither the address bar's history nor the console, and the CSP must hold. */
  async expectCleanRecord(secret: string): Promise<void> {
    this.urls.push(this.page.url());
    for (const url of this.urls) expect(url).not.toContain(secret);
    for (const line of this.console) expect(line).not.toContain(secret);
    expect(this.console.filter((line) => line.includes("Content Security Policy"))).toEqual([]);
    expect(this.console.filter((line) => line.startsWith("pageerror"))).toEqual([]);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

export interface NodeConnectAnswer {
  ok: boolean;
  error?: { code: string; message: string };
}

/**
 * Connects as a node host (`role: "node"`) with the gateway token and returns the answer to `connect`. An unpaired
 * node is refused with NOT_PAIRED, which leaves a pending pairing request for an operator; a paired one is let in.
 * `@openclaw/client` only speaks as an operator, so this uses a bare WebSocket.
 */
export async function connectAsNode(url: string, token: string, nodeId: string): Promise<NodeConnectAnswer> {
  const socket = new WebSocket(url);
  try {
    return await new Promise<NodeConnectAnswer>((resolve, reject) => {
      socket.addEventListener("error", () => reject(new Error(`the node socket to ${url} failed`)));
      socket.addEventListener("close", () =>
        reject(new Error("the gateway closed the node socket before answering")),
      );
      socket.addEventListener("message", (message) => {
        const frame = JSON.parse(String(message.data)) as {
          type: string;
          event?: string;
          id?: string;
          ok?: boolean;
          error?: { code: string; message: string };
        };
        if (frame.type === "event" && frame.event === "connect.challenge") {
          socket.send(
            JSON.stringify({
              type: "req",
              id: "node-connect",
              method: "connect",
              params: {
                minProtocol: PROTOCOL_VERSION,
                maxProtocol: PROTOCOL_VERSION,
                client: {
                  id: "node-host",
                  version: "1.0.0",
                  platform: "linux",
                  mode: "node",
                  instanceId: nodeId,
                },
                role: "node",
                caps: ["camera"],
                auth: { token },
              },
            }),
          );
        } else if (frame.type === "res" && frame.id === "node-connect") {
          resolve({ ok: frame.ok === true, ...(frame.error ? { error: frame.error } : {}) });
        }
      });
    });
  } finally {
    socket.close();
  }
}

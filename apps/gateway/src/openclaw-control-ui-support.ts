import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GatewayServer } from "@openclaw/gateway-core";
import { type FakeModelServer, type OpenClawRelease, startFakeModelServer } from "@openclaw/testing";
import { type Browser, chromium, type Page } from "playwright-core";
import { E2E_WAIT_MS } from "./e2e-wait-support.js";
import { startGatewayServer } from "./index.js";

export const CHROMIUM_PATH = process.env.OPENCLAW_CHROMIUM_PATH ?? "/usr/bin/chromium";

/** One WebSocket frame the page exchanged with the gateway, parsed. */
export interface RecordedFrame {
  dir: "client" | "server";
  frame: {
    type?: string;
    id?: string;
    method?: string;
    event?: string;
    ok?: boolean;
    params?: unknown;
    payload?: unknown;
    error?: { code?: string; message?: string; details?: unknown };
  };
}

/** Our gateway serving OpenClaw's own built Control UI (`gateway.controlUi.root`), with a fake model behind it. */
export interface OpenClawUiGateway {
  server: GatewayServer;
  model: FakeModelServer;
  token: string;
  stateDir: string;
  close(): Promise<void>;
}

export async function startOpenClawUiGateway(release: OpenClawRelease): Promise<OpenClawUiGateway> {
  const model = await startFakeModelServer();
  const stateDir = await mkdtemp(join(tmpdir(), "openclaw-upstream-ui-"));
  const token = "u".repeat(48);
  const config = {
    models: {
      providers: {
        fake: {
          baseUrl: model.baseUrlFor("openai-completions"),
          apiKey: "fake-key",
          api: "openai-completions",
          models: [{ id: "fast", name: "Fast fake", contextWindow: 32_000 }],
        },
      },
    },
    // Only the default: OpenClaw's UI reads agents.list's `model.primary` (the effective model) before it chats.
    agents: { defaults: { model: { primary: "fake/fast" } } },
    gateway: { controlUi: { root: release.controlUiDir } },
  };
  await writeFile(join(stateDir, "openclaw.json"), `${JSON.stringify(config, null, 2)}\n`);
  let server: GatewayServer;
  try {
    server = await startGatewayServer(0, {
      stateDir,
      env: {},
      auth: { mode: "token", token },
      validateResults: true,
    });
  } catch (error) {
    await model.close();
    await rm(stateDir, { recursive: true, force: true });
    throw error;
  }
  return {
    server,
    model,
    token,
    stateDir,
    async close() {
      await server.close({ reason: "test over" });
      await model.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `the OpenClaw Control UI test needs Chromium at ${CHROMIUM_PATH}: install it (Debian: apt-get install chromium) ` +
        "or point OPENCLAW_CHROMIUM_PATH at a Chromium binary; no browser is ever downloaded",
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ["--no-sandbox"] });
}

/** Everything a page said on its gateway sockets and in its console, for assertions and for failure messages. */
export interface PageRecorder {
  frames: RecordedFrame[];
  consoleErrors: string[];
  /** Every `res` with `ok: false`, with the method its request named. */
  failedResponses(): { method: string; error: RecordedFrame["frame"]["error"] }[];
  /** The requests sent for `method`, oldest first. */
  requests(method: string): RecordedFrame["frame"][];
  /** Resolves with the first server frame `match` accepts (already received or arriving within `timeoutMs`). */
  waitForServerFrame(
    match: (frame: RecordedFrame["frame"]) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedFrame["frame"]>;
}

export function recordPage(page: Page): PageRecorder {
  const frames: RecordedFrame[] = [];
  const consoleErrors: string[] = [];
  const waiters: {
    match: (frame: RecordedFrame["frame"]) => boolean;
    resolve: (f: RecordedFrame["frame"]) => void;
  }[] = [];
  const add = (dir: RecordedFrame["dir"], payload: string | Buffer) => {
    let frame: RecordedFrame["frame"];
    try {
      frame = JSON.parse(payload.toString()) as RecordedFrame["frame"];
    } catch {
      return;
    }
    frames.push({ dir, frame });
    if (dir !== "server") return;
    for (const waiter of waiters.splice(0)) {
      if (waiter.match(frame)) waiter.resolve(frame);
      else waiters.push(waiter);
    }
  };
  page.on("websocket", (socket) => {
    socket.on("framesent", (event) => add("client", event.payload));
    socket.on("framereceived", (event) => add("server", event.payload));
  });
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.message}`));
  const methodOf = (id: string | undefined) =>
    frames.find((each) => each.dir === "client" && each.frame.type === "req" && each.frame.id === id)?.frame
      .method ?? "?";
  return {
    frames,
    consoleErrors,
    failedResponses: () =>
      frames
        .filter((each) => each.dir === "server" && each.frame.type === "res" && each.frame.ok === false)
        .map((each) => ({ method: methodOf(each.frame.id), error: each.frame.error })),
    requests: (method) =>
      frames
        .filter((each) => each.dir === "client" && each.frame.type === "req" && each.frame.method === method)
        .map((each) => each.frame),
    waitForServerFrame(match, timeoutMs = E2E_WAIT_MS) {
      const seen = frames.find((each) => each.dir === "server" && match(each.frame));
      if (seen) return Promise.resolve(seen.frame);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching server frame within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (frame) => {
            clearTimeout(timer);
            resolve(frame);
          },
        });
      });
    },
  };
}

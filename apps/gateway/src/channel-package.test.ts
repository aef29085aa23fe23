import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { GatewayClient } from "@openclaw/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importChannelPackage } from "./channel-package.js";
import { createFirstPartyPlugins, type GatewayServer, startGatewayServer } from "./index.js";

const ECHO_PLUGIN_DIR = fileURLToPath(new URL("../../../examples/channel-echo", import.meta.url));
const TOKEN = "c".repeat(64);

let dir: string;
let gateway: GatewayServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-channel-package-"));
});

afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Writes an installed package's module under `dir/node_modules` and returns its URL, for Node to import natively. */
async function installedModule(path: string, source: string): Promise<string> {
  const file = join(dir, "node_modules", path);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, source);
  return pathToFileURL(file).href;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return address.port;
}

describe("importChannelPackage", () => {
  it("names the npm command and the package to install it next to (the CLI's bundle: openclaw)", async () => {
    const chunk = await installedModule(
      "openclaw/dist/chunk.js",
      'export const load = () => import("@openclaw/channel-telegram");\n',
    );
    const { load } = (await import(/* @vite-ignore */ chunk)) as { load: () => Promise<unknown> };
    await expect(importChannelPackage("telegram", load)).rejects.toMatchObject({
      code: "CHANNEL_PACKAGE_MISSING",
      channel: "telegram",
      message:
        "the telegram channel is configured but @openclaw/channel-telegram is not installed: run `npm i @openclaw/channel-telegram` where openclaw is installed (with -g for a global install), then restart the gateway",
    });
  });

  it("keeps Node's own error when a dependency inside the channel package is missing (a broken install)", async () => {
    const entry = await installedModule(
      "@openclaw/channel-telegram/index.js",
      'import "grammy-that-is-not-installed";\n',
    );
    const error = await importChannelPackage("telegram", () => import(/* @vite-ignore */ entry)).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: "ERR_MODULE_NOT_FOUND" });
    expect((error as Error).message).toContain("grammy-that-is-not-installed");
  });
});

describe("a configured channel whose package is not installed", () => {
  it("fails only that channel, and channels.status and the log name the npm command", async () => {
    const loader = await installedModule(
      "@openclaw/gateway/dist/load-matrix.js",
      'export const load = () => import("@openclaw/channel-matrix");\n',
    );
    const { load } = (await import(/* @vite-ignore */ loader)) as { load: () => Promise<never> };
    const plugins = createFirstPartyPlugins();
    plugins.registerChannel({
      id: "matrix",
      meta: { label: "Matrix", description: "a first-party channel whose package is not installed" },
      load: () => importChannelPackage("matrix", load),
    });
    const echoPort = await freePort();
    const stateDir = join(dir, "state");
    await mkdir(stateDir);
    await writeFile(
      join(stateDir, "openclaw.json"),
      JSON.stringify({
        plugins: { load: { paths: [ECHO_PLUGIN_DIR] } },
        channels: {
          matrix: { enabled: true },
          echo: { port: echoPort, dmPolicy: "open", allowFrom: ["*"] },
        },
      }),
    );
    gateway = await startGatewayServer(0, {
      stateDir,
      env: {},
      auth: { mode: "token", token: TOKEN },
      plugins,
    });
    const client = new GatewayClient({ url: gateway.url, token: TOKEN });
    await client.connect();
    try {
      const fix =
        "run `npm i @openclaw/channel-matrix` where @openclaw/gateway is installed, then restart the gateway";
      await expect
        .poll(
          async () => (await client.request("channels.status", {})).channelAccounts.matrix?.[0]?.lastError,
        )
        .toBe(`the matrix channel is configured but @openclaw/channel-matrix is not installed: ${fix}`);
      await expect
        .poll(async () => (await client.request("channels.status", {})).channelAccounts.echo?.[0]?.connected)
        .toBe(true);
      const probed = await client.request("channels.status", { probe: true, timeoutMs: 5_000 });
      expect(probed.channelAccounts.matrix?.[0]?.probe).toMatchObject({
        ok: false,
        detail: expect.stringContaining(fix),
      });
      expect(await readFile(gateway.logFile, "utf8")).toContain(fix);
    } finally {
      await client.close();
    }
  });
});

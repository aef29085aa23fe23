import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PluginRegistry, startGatewayServer } from "@openclaw/gateway";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import type { DoctorCheck } from "./doctor-check.js";
import { runDoctor } from "./run-doctor.js";

const cleanups: (() => Promise<unknown>)[] = [];

beforeEach(() => {
  // connectToGateway reads process.env; keep it away from the real ~/.openclaw.
  vi.stubEnv("OPENCLAW_STATE_DIR", join(tmpdir(), "openclaw-doctor-none"));
  vi.stubEnv("OPENCLAW_CONFIG_PATH", "");
});

afterEach(async () => {
  vi.unstubAllEnvs();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it("reports a configured channel whose plugin did not load as a channel error with its cause, not as bad credentials", async () => {
  const token = randomBytes(32).toString("hex");
  const dir = await mkdtemp(join(tmpdir(), "openclaw-doctor-channel-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await writeFile(
    join(dir, "openclaw.json"),
    JSON.stringify({
      gateway: { auth: { mode: "token", token } },
      channels: { telegram: { botToken: "123:abc" } },
    }),
    { mode: 0o600 },
  );
  // The package-missing error itself is covered in @openclaw/gateway (channel-package.test.ts); any load failure
  // takes the same path to channels.status.
  const plugins = new PluginRegistry();
  plugins.registerChannel({
    id: "telegram",
    meta: { label: "Telegram", description: "a channel whose package cannot be loaded" },
    load: async () => {
      throw new Error("Cannot find package '@openclaw/channel-telegram'");
    },
  });
  const server = await startGatewayServer(0, {
    stateDir: dir,
    env: {},
    auth: { mode: "token", token },
    plugins,
  });
  cleanups.push(() => server.close());
  const lines: string[] = [];
  const code = await runDoctor(
    { json: true, timeout: 5000, probe: true },
    { out: (text) => lines.push(text), err: (text) => lines.push(text) },
    { env: { OPENCLAW_STATE_DIR: dir, OPENCLAW_GATEWAY_PORT: String(server.port) } },
  );
  const checks = JSON.parse(lines.join("\n")) as DoctorCheck[];
  expect(checks.find((item) => item.id === "channel:telegram:default")).toEqual({
    id: "channel:telegram:default",
    status: "error",
    message: expect.stringContaining(
      'Telegram account "default": channel "telegram" failed to load: Cannot find package \'@openclaw/channel-telegram\'',
    ),
    fix: "fix that, then restart the gateway (stop and start `openclaw gateway`, or `openclaw gateway restart` for the service)",
  });
  expect(code).toBe(1);
});

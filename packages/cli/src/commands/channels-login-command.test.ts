import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createWhatsAppPlugin, renderQrForTerminal } from "@openclaw/channel-whatsapp";
import { createFakeWhatsAppSocketFactory } from "@openclaw/testing";
import { afterEach, beforeEach, expect, it } from "vitest";
import { CliError } from "../cli-error.js";
import type { Output } from "../output.js";
import { type QrLoginPlugin, runChannelsLogin } from "./channels-login-command.js";

let authRoot: string;
beforeEach(async () => {
  authRoot = await mkdtemp(join(tmpdir(), "openclaw-login-"));
});
afterEach(async () => {
  await rm(authRoot, { recursive: true, force: true });
});

function recordingOutput(): Output & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (text) => lines.push(text), err: (text) => lines.push(text) };
}

it("shows the WhatsApp QR code in the terminal and exits once the phone has linked", async () => {
  const sockets = createFakeWhatsAppSocketFactory();
  const plugin = createWhatsAppPlugin({ makeSocket: sockets.makeSocket }) as unknown as QrLoginPlugin;
  const output = recordingOutput();
  const authDir = join(authRoot, "default");
  const login = runChannelsLogin("whatsapp", {}, output, {
    plugin,
    renderQr: renderQrForTerminal,
    section: { authDir },
  });
  const socket = await sockets.socket(0);
  socket.emitQr("2@fake-qr-payload");
  await expect.poll(() => output.lines.join("\n")).toContain("Linked devices");
  expect(output.lines.join("\n")).toContain(renderQrForTerminal("2@fake-qr-payload"));
  socket.open();
  await expect(login).resolves.toBe(0);
  expect(output.lines.at(-1)).toContain("is ready");
  expect((await readdir(authDir)).length).toBeGreaterThan(0);
});

it("explains that token-based channels have nothing to log in to", async () => {
  await expect(runChannelsLogin("telegram", {}, recordingOutput())).rejects.toBeInstanceOf(CliError);
});

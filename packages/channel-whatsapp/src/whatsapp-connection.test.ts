import { FAKE_WHATSAPP_DISCONNECT } from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import { alice, useWhatsAppHarness } from "./whatsapp-test-harness.js";

const h = useWhatsAppHarness();

describe("whatsapp connection", () => {
  it("reconnects with backoff after a recoverable disconnect without reporting an error", async () => {
    const { probe, socket } = await h.linked({ reconnect: { initialDelayMs: 1 } });
    socket.close(FAKE_WHATSAPP_DISCONNECT.connectionLost);
    const next = await h.factory.socket(1);
    await new Promise<void>((resolve) =>
      next.ev.on("connection.update", (u) => u.connection === "open" && resolve()),
    );
    await probe.status((s) => s.connected === true && probe.statuses.indexOf(s) > 1);
    expect(probe.statuses.filter((s) => typeof s.lastError === "string")).toEqual([]);
    expect(socket.listenerCount("messages.upsert")).toBe(0);
  });

  it("shows an outage as lastError from the first failed reconnect, and clears it once connected again", async () => {
    const { probe, socket } = await h.linked({ reconnect: { initialDelayMs: 1, maxAttempts: 6 } });
    socket.close(FAKE_WHATSAPP_DISCONNECT.connectionLost);
    (await h.factory.socket(1)).close(
      FAKE_WHATSAPP_DISCONNECT.connectionLost,
      "WebSocket Error (ECONNREFUSED)",
    );
    const down = await probe.status((s) => typeof s.lastError === "string");
    expect(down).toEqual({
      lastError: expect.stringMatching(
        /^WhatsApp unreachable: reconnect attempt 1 of 6 failed \(WebSocket Error/,
      ),
    });
    // The account kept reconnecting by itself (a third socket) rather than ending.
    await probe.status((s) => s.connected === true && s.lastError === null && probe.statuses.indexOf(s) > 1);
    expect(h.factory.sockets).toHaveLength(3);
  });

  it("gives up after reconnect.maxAttempts failures in a row so the gateway restarts it", async () => {
    const { probe, socket } = await h.linked({ reconnect: { initialDelayMs: 1, maxAttempts: 1 } });
    const handle = h.handles[0];
    socket.close(FAKE_WHATSAPP_DISCONNECT.connectionLost);
    const retry = await h.factory.socket(1);
    retry.close(FAKE_WHATSAPP_DISCONNECT.connectionLost);
    await expect(handle?.done).rejects.toMatchObject({ code: "WHATSAPP_CONNECTION_FAILED" });
    expect(probe.statuses.at(-1)?.lastError).toMatch(/failed 2 times in a row/);
  });

  it("stop() ends within seconds, closes the socket and delivers nothing afterwards", async () => {
    const { probe, socket } = await h.linked();
    const handle = h.handles[0];
    const began = performance.now();
    await handle?.stop();
    // Stop is near-instant when idle; the bound is loose because a loaded CI machine (issue 17) is slow, not hung.
    expect(performance.now() - began).toBeLessThan(3_000);
    expect(socket.state).toBe("closed");
    expect(socket.listenerCount("connection.update")).toBe(0);
    socket.receiveText({ from: alice, text: "late" });
    expect(probe.inbound).toEqual([]);
    expect(h.factory.sockets).toHaveLength(1);
  });
});

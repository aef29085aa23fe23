import { connect } from "node:net";
import { waitForSocketEnd } from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import { useIntegrationEnv } from "../harness.js";

const env = useIntegrationEnv();

describe("slow senders", () => {
  it("drops a connection that trickles its request headers within seconds, not minutes", async () => {
    const gateway = await env.start();
    const port = Number(new URL(gateway.server.url).port);
    const socket = connect({ host: "127.0.0.1", port });
    env.defer(() => socket.destroy());
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write("GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    // One header byte every 500 ms keeps Node's per-chunk timers happy; only a whole-headers deadline stops it.
    const drip = setInterval(() => {
      if (!socket.destroyed) socket.write("X");
    }, 500);
    env.defer(() => clearInterval(drip));
    // The 5 s headers deadline, not Node's 60 s default; loose because timers fire late on a loaded CI machine.
    const droppedAfterMs = await waitForSocketEnd(socket, 20_000);
    expect(droppedAfterMs).toBeLessThan(20_000);
  }, 30_000);
});

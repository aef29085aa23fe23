import { describe, expect, it } from "vitest";
import { useIntegrationEnv } from "../integration/harness.js";
import { eventually } from "../integration/memory-channel.test-support.js";
import { startMemoGateway } from "./memo-gateway.test-support.js";

const env = useIntegrationEnv();

describe("a single gateway's graceful shutdown", () => {
  it("lets a turn running at the moment finish and delivers its reply before the channels stop", async () => {
    const { fake, platform, deliver, gateway } = await startMemoGateway(env);
    // The model answers slowly: the shutdown begins while the turn waits for it.
    fake.enqueue({ text: "the slow answer", delayMs: 1_500 });
    deliver({ text: "a question just before the shutdown" });
    await eventually(() => fake.requests.length === 1, "the model call");
    await gateway.server.close({ reason: "gateway stopping (SIGTERM)" });
    expect(platform.transcript()).toEqual(["the slow answer"]);
  });
});

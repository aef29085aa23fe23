import { describe, expect, it } from "vitest";
import type { AgentRuntimeConfig } from "./config-schema.js";
import { APIS, providerConfig, server, startRuntime, useFakeModelServer } from "./runtime-test-env.js";

useFakeModelServer();

/** How long the model is watched after the run ended: a retry or fallback would be sent at once (5-20 ms waits). */
const QUIET_MS = 1_000;

/** A 1 s run limit and a fallback model: everything that could ask the model again after the abort is present. */
function timingOutConfig(api: (typeof APIS)[number]): AgentRuntimeConfig {
  const config = providerConfig(server, api, [{ id: "primary" }, { id: "backup" }]);
  config.agents = {
    defaults: { model: { primary: "fake/primary", fallbacks: ["fake/backup"] }, timeoutSeconds: 1 },
  };
  return config;
}

async function requestsAfterQuiet(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
  return server.requests.length;
}

describe("a run aborted by its timeout asks the model nothing more", () => {
  for (const api of APIS) {
    it(`${api}: the model hangs before any text, the run times out, and no retry or fallback follows`, async () => {
      const { runtime } = startRuntime(timingOutConfig(api));
      server.enqueue({ hang: true }, { text: "a retry's answer" }, { text: "a fallback's answer" });
      const result = await runtime.submit({ sessionKey: "slow", message: "hi" }).done;
      expect(result.status).toBe("error");
      expect(result.error?.code).toBe("TIMEOUT");
      expect(await requestsAfterQuiet()).toBe(1);
    });
  }

  it("the model hangs mid-answer: the streamed text is kept and nothing is asked again", async () => {
    const { runtime } = startRuntime(timingOutConfig("openai-completions"));
    server.enqueue({ text: "half an answer", hang: true }, { text: "a retry's answer" });
    const result = await runtime.submit({ sessionKey: "slow", message: "hi" }).done;
    expect(result).toMatchObject({ status: "error", text: "half an answer" });
    expect(await requestsAfterQuiet()).toBe(1);
  });

  it("the timeout falls before the first model call (a slow run preparation): the model is never asked", async () => {
    let prepared = false;
    const { runtime } = startRuntime(
      timingOutConfig("openai-completions"),
      {},
      {
        prepareRun: () =>
          new Promise((resolve) =>
            setTimeout(() => {
              prepared = true;
              resolve({});
            }, 1_500),
          ),
      },
    );
    server.enqueue({ text: "too late" });
    const result = await runtime.submit({ sessionKey: "slow", message: "hi" }).done;
    expect(prepared).toBe(true);
    expect(result.error?.code).toBe("TIMEOUT");
    expect(await requestsAfterQuiet()).toBe(0);
  });

  it("the timeout falls in the wait before a retry: the retry is not sent", async () => {
    const { runtime } = startRuntime(
      timingOutConfig("openai-completions"),
      {},
      {
        retry: { initialDelayMs: 5_000, maxDelayMs: 5_000 },
      },
    );
    server.enqueue({ status: 503 }, { text: "a retry's answer" }, { text: "a fallback's answer" });
    const result = await runtime.submit({ sessionKey: "slow", message: "hi" }).done;
    expect(result.error?.code).toBe("TIMEOUT");
    expect(await requestsAfterQuiet()).toBe(1);
  });
});

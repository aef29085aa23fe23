import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type FakeModelServer, startFakeModelServer } from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import { useIntegrationEnv } from "./harness.js";

const env = useIntegrationEnv();
const HOOK_TOKEN = "hook-token-0123456789abcdef";

/** Hooks on, and one fake model as every agent's default. */
function hooksWithModel(model: FakeModelServer) {
  return {
    hooks: { enabled: true, token: HOOK_TOKEN },
    models: {
      providers: {
        fake: {
          baseUrl: model.baseUrlFor("openai-completions"),
          api: "openai-completions",
          models: [{ id: "m" }],
        },
      },
    },
    agents: { defaults: { model: { primary: "fake/m" } } },
  };
}

describe("webhooks on the gateway port", () => {
  it("refuse a wrong hook token, start a run with the right one, and never twice for one idempotency key", async () => {
    const model = await startFakeModelServer();
    env.defer(() => model.close());
    model.setDefaultReply({ text: "done" });
    const gateway = await env.start({ config: hooksWithModel(model) });
    const url = `${gateway.server.httpUrl}/hooks/agent`;
    const post = (token: string, key?: string) =>
      fetch(url, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          ...(key ? { "idempotency-key": key } : {}),
        },
        body: JSON.stringify({ message: "a build finished", name: "ci" }),
      });

    expect((await post("wrong-token")).status).toBe(401);
    expect((await post(gateway.token)).status).toBe(401); // the gateway token is not a hook token

    const first = await post(HOOK_TOKEN, "build-42");
    expect(first.status).toBe(200);
    const started = (await first.json()) as { ok: boolean; runId: string; sessionKey: string };
    expect(started).toMatchObject({ ok: true, runId: expect.any(String) });
    await model.waitForRequests(1);

    const repeat = (await (await post(HOOK_TOKEN, "build-42")).json()) as { runId: string };
    expect(repeat.runId).toBe(started.runId);
    const { client } = await env.connect(gateway);
    const result = (await client.call("agent.wait", { runId: started.runId, timeoutMs: 10_000 })) as {
      status: string;
    };
    expect(result.status).toBe("ok");
    expect(model.requests).toHaveLength(1);
  });

  it("answer /hooks/agent only once the message is in the session's transcript", async () => {
    const model = await startFakeModelServer();
    env.defer(() => model.close());
    model.enqueue({ text: "never finishes", hang: true });
    const gateway = await env.start({ config: hooksWithModel(model) });
    const response = await fetch(`${gateway.server.httpUrl}/hooks/agent`, {
      method: "POST",
      headers: { authorization: `Bearer ${HOOK_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ message: "nightly backup done", name: "backup" }),
    });
    expect(response.status).toBe(200);
    const { runId } = (await response.json()) as { runId: string };
    const dir = join(gateway.stateDir, "agents", "main", "sessions");
    const transcripts = (await readdir(dir)).filter((file) => file.endsWith(".jsonl"));
    const texts = await Promise.all(transcripts.map((file) => readFile(join(dir, file), "utf8")));
    const entry = texts
      .flatMap((text) => text.split("\n").filter(Boolean))
      .map((line) => JSON.parse(line) as { role?: string; text?: string; runId?: string })
      .find((line) => line.runId === runId && line.role === "user");
    expect(entry?.text).toBe("nightly backup done");
  });

  it("are off by default and say how to turn them on", async () => {
    const gateway = await env.start();
    const response = await fetch(`${gateway.server.httpUrl}/hooks/agent`, { method: "POST", body: "{}" });
    expect(response.status).toBe(404);
    expect(JSON.stringify(await response.json())).toContain("hooks.token");
  });
});

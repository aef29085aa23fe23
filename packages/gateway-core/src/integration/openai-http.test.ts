import type { FakeModelServer } from "@openclaw/testing";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { configWithFakeModel, startFakeModel, type TestGateway, useIntegrationEnv } from "./harness.js";

const env = useIntegrationEnv();

async function gatewayWithModel(endpoints: Record<string, unknown> = {}): Promise<{
  fake: FakeModelServer;
  gateway: TestGateway;
  openai: OpenAI;
}> {
  const fake = await startFakeModel(env);
  const gateway = await env.start({
    config: {
      gateway: {
        http: {
          endpoints: { chatCompletions: { enabled: true }, responses: { enabled: true }, ...endpoints },
        },
      },
      ...configWithFakeModel(fake, {
        api: "anthropic-messages",
        models: [{ id: "claude-fake", contextWindow: 32_000 }],
      }),
    },
  });
  const openai = new OpenAI({
    baseURL: `${gateway.server.httpUrl}/v1`,
    apiKey: gateway.token,
    maxRetries: 0,
  });
  return { fake, gateway, openai };
}

describe("OpenAI-compatible HTTP API", () => {
  it("answers chat completions with the official openai client, non-stream and stream", async () => {
    const { fake, openai } = await gatewayWithModel();
    fake.enqueue(
      { text: "plain answer", usage: { inputTokens: 7, outputTokens: 2 } },
      { chunks: ["str", "eam", "ed"] },
    );
    const completion = await openai.chat.completions.create({
      model: "openclaw",
      messages: [{ role: "user", content: "hello" }],
    });
    expect(completion.choices[0]?.message.content).toBe("plain answer");
    expect(completion.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 2 });

    const stream = await openai.chat.completions.create({
      model: "openclaw/main",
      messages: [{ role: "user", content: "stream please" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(text).toBe("streamed");
    expect(finish).toBe("stop");
  });

  it("answers /v1/responses, non-stream and stream", async () => {
    const { fake, openai } = await gatewayWithModel();
    fake.enqueue({ text: "a response" }, { chunks: ["resp", "onse ", "stream"] });
    const response = await openai.responses.create({ model: "openclaw", input: "hi" });
    expect(response.output_text).toBe("a response");

    const stream = await openai.responses.create({ model: "openclaw", input: "hi again", stream: true });
    let text = "";
    let completed = false;
    for await (const event of stream) {
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.completed") completed = true;
    }
    expect(text).toBe("response stream");
    expect(completed).toBe(true);
  });

  it("keeps a conversation when the user field is set and stays stateless otherwise", async () => {
    const { fake, openai } = await gatewayWithModel();
    fake.enqueue({ text: "first" }, { text: "second" }, { text: "third" });
    await openai.chat.completions.create({
      model: "openclaw",
      user: "conv-1",
      messages: [{ role: "user", content: "a" }],
    });
    await openai.chat.completions.create({
      model: "openclaw",
      user: "conv-1",
      messages: [{ role: "user", content: "b" }],
    });
    expect(JSON.stringify(fake.requests[1]?.body.messages)).toContain("first");
    await openai.chat.completions.create({ model: "openclaw", messages: [{ role: "user", content: "c" }] });
    expect(JSON.stringify(fake.requests[2]?.body.messages)).not.toContain("first");
  });

  it("lists agents and models, refuses a wrong token and unknown models, limits the body", async () => {
    const { gateway, openai } = await gatewayWithModel({ responses: { enabled: true, maxBodyBytes: 1024 } });
    const models = await openai.models.list();
    const ids = models.data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining(["openclaw", "openclaw/main", "fake/claude-fake"]));

    const wrong = new OpenAI({ baseURL: `${gateway.server.httpUrl}/v1`, apiKey: "wrong", maxRetries: 0 });
    await expect(wrong.models.list()).rejects.toMatchObject({ status: 401 });
    await expect(
      openai.chat.completions.create({ model: "nope", messages: [{ role: "user", content: "x" }] }),
    ).rejects.toMatchObject({ status: 404, code: "model_not_found" });
    await expect(
      openai.responses.create({ model: "openclaw", input: "x".repeat(4096) }),
    ).rejects.toMatchObject({
      status: 413,
    });
  });

  it("is off by default and says how to switch it on", async () => {
    const gateway = await env.start();
    const response = await fetch(`${gateway.server.httpUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${gateway.token}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toContain("gateway.http.endpoints.chatCompletions.enabled");
  });

  it("reports a missing provider as an OpenAI error that says how to configure one", async () => {
    const gateway = await env.start({
      config: { gateway: { http: { endpoints: { chatCompletions: { enabled: true } } } } },
    });
    const openai = new OpenAI({
      baseURL: `${gateway.server.httpUrl}/v1`,
      apiKey: gateway.token,
      maxRetries: 0,
    });
    const error = await openai.chat.completions
      .create({ model: "openclaw", messages: [{ role: "user", content: "hi" }] })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 503, code: "no_provider_configured" });
    expect((error as Error).message).toContain("openclaw config --section models");
  });
});

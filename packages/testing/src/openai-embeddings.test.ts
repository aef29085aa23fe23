import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import {
  FAKE_EMBEDDING_DIMENSIONS,
  type FakeModelServer,
  fakeEmbedding,
  startFakeModelServer,
} from "./index.js";

let server: FakeModelServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const cosine = (a: number[], b: number[]) => a.reduce((sum, value, i) => sum + value * (b[i] ?? 0), 0);

/** Wire JSON, loosely typed the way `JSON.parse` types it. */
type Wire = ReturnType<typeof JSON.parse>;
const jsonOf = async (response: Response): Promise<Wire> => JSON.parse(await response.text());

const postEmbeddings = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/embeddings`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

describe("fake /v1/embeddings", () => {
  it("answers the OpenAI SDK (base64 by default) with deterministic unit vectors and records the request", async () => {
    server = await startFakeModelServer();
    const client = new OpenAI({
      baseURL: server.baseUrlFor("openai-completions"),
      apiKey: "sk-fake",
      maxRetries: 0,
    });
    const response = await client.embeddings.create({
      model: "text-embedding-3-small",
      input: ["the cat sat on the mat", "a cat on a mat", "quarterly tax filing deadline"],
    });
    expect(response.model).toBe("text-embedding-3-small");
    const vectors = response.data.map((item) => item.embedding);
    expect(vectors.map((vector) => vector.length)).toEqual([256, 256, 256]);
    expect(cosine(vectors[0] ?? [], vectors[0] ?? [])).toBeCloseTo(1, 5);
    expect(cosine(vectors[0] ?? [], vectors[1] ?? [])).toBeGreaterThan(
      cosine(vectors[0] ?? [], vectors[2] ?? []),
    );
    expect(vectors[0]?.[0]).toBeCloseTo(fakeEmbedding("the cat sat on the mat")[0] ?? Number.NaN, 5);

    expect(server.requests).toEqual([]);
    expect(server.embeddings.requests).toHaveLength(1);
    expect(server.embeddings.requests[0]).toMatchObject({
      path: "/v1/embeddings",
      model: "text-embedding-3-small",
      inputs: ["the cat sat on the mat", "a cat on a mat", "quarterly tax filing deadline"],
    });
  });

  it("returns float arrays on request, honours dimensions and counts usage", async () => {
    server = await startFakeModelServer();
    const response = await postEmbeddings(server.url, {
      model: "m",
      input: "hello world",
      encoding_format: "float",
      dimensions: 8,
    });
    expect(response.status).toBe(200);
    const json = await jsonOf(response);
    expect(json.object).toBe("list");
    expect(json.data[0]).toMatchObject({ object: "embedding", index: 0 });
    expect(json.data[0].embedding).toEqual(fakeEmbedding("hello world", { dimensions: 8 }));
    expect(json.usage.prompt_tokens).toBeGreaterThan(0);
    expect(FAKE_EMBEDDING_DIMENSIONS).toBe(256);
  });

  it("folds synonym groups so texts in other words land close", async () => {
    server = await startFakeModelServer();
    const embed = async (input: string[]) => {
      const response = await postEmbeddings(server?.url ?? "", { model: "m", input });
      return ((await jsonOf(response)).data as { embedding: number[] }[]).map((item) => item.embedding);
    };
    const [plainCar, plainAutomobile] = await embed(["car", "automobile"]);
    expect(cosine(plainCar ?? [], plainAutomobile ?? [])).toBeLessThan(0.5);
    server.embeddings.setSynonyms([["car", "automobile", "vehicle"]]);
    const [car, automobile] = await embed(["my cars", "automobile"]);
    expect(cosine(car ?? [], automobile ?? [])).toBeCloseTo(1, 5);
  });

  it("refuses a missing API key with 401 and still records the request", async () => {
    server = await startFakeModelServer({ apiKey: "sk-right" });
    const refused = await postEmbeddings(
      server.url,
      { model: "m", input: "x" },
      { authorization: "Bearer wrong" },
    );
    expect(refused.status).toBe(401);
    expect((await jsonOf(refused)).error.code).toBe("invalid_api_key");
    const accepted = await postEmbeddings(
      server.url,
      { model: "m", input: "x" },
      { authorization: "Bearer sk-right" },
    );
    expect(accepted.status).toBe(200);
    expect(server.embeddings.requests).toHaveLength(2);
  });

  it("fails the next requests with the status asked for, then recovers", async () => {
    server = await startFakeModelServer();
    server.embeddings.failNext(500);
    const failed = await postEmbeddings(server.url, { model: "m", input: "x" });
    expect(failed.status).toBe(500);
    expect((await jsonOf(failed)).error.type).toBe("server_error");
    expect((await postEmbeddings(server.url, { model: "m", input: "x" })).status).toBe(200);
  });

  it("refuses malformed bodies with 400 in OpenAI's error shape", async () => {
    server = await startFakeModelServer();
    for (const body of [
      { model: "m" },
      { model: "m", input: [] },
      { model: "m", input: [1, 2, 3] },
      { model: "m", input: [""] },
      { input: "x" },
      { model: "m", input: "x", dimensions: 0 },
    ]) {
      const response = await postEmbeddings(server.url, body);
      expect(response.status).toBe(400);
      expect((await jsonOf(response)).error.type).toBe("invalid_request_error");
    }
  });

  it("is forgotten by reset()", async () => {
    server = await startFakeModelServer();
    server.embeddings.failNext(503, 2);
    await postEmbeddings(server.url, { model: "m", input: "x" });
    server.reset();
    expect(server.embeddings.requests).toEqual([]);
    expect((await postEmbeddings(server.url, { model: "m", input: "x" })).status).toBe(200);
  });
});

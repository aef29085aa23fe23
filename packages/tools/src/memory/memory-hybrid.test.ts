import { type FakeModelServer, startFakeModelServer } from "@openclaw/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EMBEDDINGS_RETRY_AFTER_MS } from "./chunk-vectors.js";
import { createMemoryTestWorkspace, type MemoryTestWorkspace } from "./memory-test-workspace.js";

const API_KEY = "sk-embeddings";
let fake: FakeModelServer;
let ws: MemoryTestWorkspace;
let clock = 1_000_000;

beforeEach(async () => {
  fake = await startFakeModelServer({ apiKey: API_KEY });
  fake.embeddings.setSynonyms([
    ["car", "automobile", "vehicle"],
    ["repair", "maintenance", "service"],
  ]);
  ws = await createMemoryTestWorkspace({ now: () => clock });
  ws.config = {
    provider: "openai-compatible",
    model: "fake-embed",
    remote: { baseUrl: fake.baseUrlFor("openai-completions"), apiKey: API_KEY },
  };
  await ws.write("memory/car.md", "## Car\nThe car is due for a service at the garage.\n");
  await ws.write("memory/garden.md", "## Garden\nThe roses need water every morning.\n");
  await ws.write("MEMORY.md", "# Memory\n\nFavourite colour is green.\n");
});

afterEach(async () => {
  await ws.cleanup();
  await fake.close();
});

const embeddedInputs = () => fake.embeddings.requests.flatMap((request) => request.inputs);

describe("memory_search with embeddings", () => {
  it("ranks a chunk that says the same thing in other words, which keywords alone miss", async () => {
    const hybrid = await ws.search({ query: "automobile maintenance" });
    expect(hybrid.mode).toBe("hybrid");
    expect(hybrid.provider).toBe("openai-compatible");
    expect(hybrid.model).toBe("fake-embed");
    expect(hybrid.warning).toBeUndefined();
    expect(hybrid.results[0]).toMatchObject({ path: "memory/car.md", startLine: 1, endLine: 2 });
    expect(hybrid.results[0]?.score).toBeGreaterThanOrEqual(0.35);
    expect(hybrid.results.map((result) => result.path)).not.toContain("memory/garden.md");

    ws.config = { provider: "none" };
    const keywordsOnly = await ws.search({ query: "automobile maintenance" });
    expect(keywordsOnly.mode).toBe("fts-only");
    expect(keywordsOnly.results).toEqual([]);
  });

  it("sends its key and model, and embeds only new or changed chunks", async () => {
    const first = await ws.search({ query: "roses" });
    expect(first.results[0]?.path).toBe("memory/garden.md");
    expect(first.debug).toMatchObject({ embeddedChunks: 3, pendingChunks: 0 });
    expect(
      fake.embeddings.requests.every((request) => request.headers.authorization === `Bearer ${API_KEY}`),
    ).toBe(true);
    expect(fake.embeddings.requests.every((request) => request.model === "fake-embed")).toBe(true);
    expect(embeddedInputs()).toHaveLength(4);
    expect(embeddedInputs()).toContain("roses");

    fake.embeddings.reset();
    fake.embeddings.setSynonyms([["car", "automobile"]]);
    await ws.write("memory/garden.md", "## Garden\nThe tulips need water every evening.\n");
    const second = await ws.search({ query: "tulips" });
    expect(second.results[0]?.path).toBe("memory/garden.md");
    expect(second.debug).toMatchObject({ embeddedChunks: 1, filesReindexed: 1 });
    expect(embeddedInputs()).toEqual(["## Garden\nThe tulips need water every evening.", "tulips"]);

    fake.embeddings.reset();
    await ws.search({ query: "tulips again" });
    expect(embeddedInputs()).toEqual(["tulips again"]);
  });

  it("embeds each chunk once when two searches run at the same time", async () => {
    const outcomes = await Promise.all([ws.search({ query: "roses" }), ws.search({ query: "automobile" })]);
    expect(outcomes.map((outcome) => outcome.mode)).toEqual(["hybrid", "hybrid"]);
    expect(outcomes[1]?.results[0]?.path).toBe("memory/car.md");
    expect(embeddedInputs().sort()).toEqual(
      [
        "# Memory\n\nFavourite colour is green.",
        "## Car\nThe car is due for a service at the garage.",
        "## Garden\nThe roses need water every morning.",
        "automobile",
        "roses",
      ].sort(),
    );
  });

  it("falls back to keywords and says why when the embeddings server answers 500, then retries later", async () => {
    fake.embeddings.failNext(500);
    const failed = await ws.search({ query: "roses" });
    expect(failed.mode).toBe("fts-only");
    expect(failed.results[0]?.path).toBe("memory/garden.md");
    expect(failed.warning).toContain("HTTP 500");
    expect(failed.warning).toContain("Keyword results only");

    const paused = await ws.search({ query: "roses" });
    expect(paused.mode).toBe("fts-only");
    expect(paused.warning).toContain("retrying in");
    expect(fake.embeddings.requests).toHaveLength(1);

    clock += EMBEDDINGS_RETRY_AFTER_MS;
    const recovered = await ws.search({ query: "automobile maintenance" });
    expect(recovered.mode).toBe("hybrid");
    expect(recovered.warning).toBeUndefined();
    expect(recovered.results[0]?.path).toBe("memory/car.md");
  });

  it("falls back to keywords when the API key is wrong, without putting the key in the warning", async () => {
    ws.config = {
      ...ws.config,
      remote: { baseUrl: fake.baseUrlFor("openai-completions"), apiKey: "sk-wrong" },
    };
    const outcome = await ws.search({ query: "roses" });
    expect(outcome.mode).toBe("fts-only");
    expect(outcome.results[0]?.path).toBe("memory/garden.md");
    expect(outcome.warning).toContain("HTTP 401");
    expect(outcome.warning).not.toContain("sk-wrong");
  });

  it("falls back to keywords when nothing listens at the embeddings URL", async () => {
    const closed = await startFakeModelServer();
    const deadUrl = closed.baseUrlFor("openai-completions");
    await closed.close();
    ws.config = { ...ws.config, remote: { baseUrl: deadUrl } };
    const outcome = await ws.search({ query: "roses" });
    expect(outcome.mode).toBe("fts-only");
    expect(outcome.results[0]?.path).toBe("memory/garden.md");
    expect(outcome.warning).toContain("embeddings request");
  });
});

import { afterEach, describe, expect, it } from "vitest";
import braveFixture from "./__fixtures__/brave-web-search.json" with { type: "json" };
import searxngFixture from "./__fixtures__/searxng-search.json" with { type: "json" };
import tavilyFixture from "./__fixtures__/tavily-search.json" with { type: "json" };
import { startFakeBraveSearch } from "./fake-brave-search.js";
import { startFakeSearxng } from "./fake-searxng.js";
import { startFakeTavilySearch } from "./fake-tavily-search.js";
import { startFakeWebSite } from "./fake-web-site.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function track<T extends { close(): Promise<void> }>(server: T): T {
  closers.push(() => server.close());
  return server;
}

/** The set of keys at each level, so the fake's answer can be compared with the recorded one field by field. */
function keysOf(value: unknown): string[] {
  return value && typeof value === "object" && !Array.isArray(value) ? Object.keys(value).sort() : [];
}

const RESULT = { title: "Loopback", url: "https://loopback.example/page", description: "A fake result." };

describe("fake Brave Search", () => {
  it("answers in the recorded response shape, with the results the test set", async () => {
    const brave = track(await startFakeBraveSearch({ apiKey: "brave-key" }));
    brave.setResults([
      RESULT,
      { ...RESULT, url: "https://loopback.example/2", published: "2026-09-01T10:00:00" },
    ]);
    const response = await fetch(`${brave.url}/res/v1/web/search?q=hello&count=1`, {
      headers: { "X-Subscription-Token": "brave-key", Accept: "application/json" },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as typeof braveFixture;
    expect(keysOf(body)).toEqual(keysOf(braveFixture));
    expect(keysOf(body.query)).toEqual(keysOf(braveFixture.query));
    expect(body.query.original).toBe("hello");
    expect(body.web.results).toHaveLength(1);
    const [first] = body.web.results;
    expect(keysOf(first)).toEqual(keysOf(braveFixture.web.results[0]).filter((key) => key !== "page_age"));
    expect(first).toMatchObject({ title: "Loopback", url: RESULT.url, description: "A fake result." });
    expect(brave.requests[0]?.query).toMatchObject({ q: "hello", count: "1" });
  });

  it("refuses a wrong subscription token with Brave's 422 error body", async () => {
    const brave = track(await startFakeBraveSearch({ apiKey: "brave-key" }));
    const response = await fetch(`${brave.url}/res/v1/web/search?q=hello`, {
      headers: { "X-Subscription-Token": "wrong" },
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      type: "ErrorResponse",
      error: { status: 422, code: "SUBSCRIPTION_TOKEN_INVALID" },
    });
  });

  it("fails the next request as asked, then answers again", async () => {
    const brave = track(await startFakeBraveSearch({ apiKey: "k" }));
    brave.failNext({ status: 429 });
    const headers = { "X-Subscription-Token": "k" };
    expect((await fetch(`${brave.url}/res/v1/web/search?q=a`, { headers })).status).toBe(429);
    expect((await fetch(`${brave.url}/res/v1/web/search?q=a`, { headers })).status).toBe(200);
  });
});

describe("fake SearXNG", () => {
  it("answers format=json in the recorded shape and refuses other formats", async () => {
    const searxng = track(await startFakeSearxng());
    searxng.setResults([RESULT]);
    const response = await fetch(`${searxng.url}/search?q=hello&format=json&categories=news`);
    const body = (await response.json()) as typeof searxngFixture;
    expect(keysOf(body)).toEqual(keysOf(searxngFixture));
    expect(keysOf(body.results[0])).toEqual(keysOf(searxngFixture.results[0]));
    expect(body.results[0]).toMatchObject({ title: "Loopback", content: "A fake result.", category: "news" });
    expect((await fetch(`${searxng.url}/search?q=hello`)).status).toBe(403);
  });
});

describe("fake Tavily", () => {
  it("answers POST /search in the recorded shape and needs the bearer key", async () => {
    const tavily = track(await startFakeTavilySearch({ apiKey: "tvly-key" }));
    const search = (authorization: string) =>
      fetch(`${tavily.url}/search`, {
        method: "POST",
        headers: { authorization, "content-type": "application/json" },
        body: JSON.stringify({ query: "hello", max_results: 1 }),
      });
    const ok = await search("Bearer tvly-key");
    const body = (await ok.json()) as typeof tavilyFixture;
    expect(keysOf(body)).toEqual(keysOf(tavilyFixture));
    expect(body.results).toHaveLength(1);
    expect(keysOf(body.results[0])).toEqual(keysOf(tavilyFixture.results[0]));
    expect((await search("Bearer nope")).status).toBe(401);
  });
});

describe("fake web site", () => {
  it("serves pages, redirects and 404s", async () => {
    const site = track(
      await startFakeWebSite({
        "/": { body: "<html><body>home</body></html>" },
        "/old": { status: 301, headers: { location: "/" } },
      }),
    );
    const home = await fetch(`${site.url}/`);
    expect(home.headers.get("content-type")).toContain("text/html");
    expect(await home.text()).toContain("home");
    const redirect = await fetch(`${site.url}/old`, { redirect: "manual" });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get("location")).toBe("/");
    expect((await fetch(`${site.url}/missing`)).status).toBe(404);
    expect(site.requests.map((request) => request.path)).toEqual(["/", "/old", "/missing"]);
  });

  it("streams an endless page until the client stops reading", async () => {
    const site = track(await startFakeWebSite({ "/endless": { endless: true } }));
    const response = await fetch(`${site.url}/endless`);
    const reader = response.body?.getReader();
    let received = 0;
    while (received < 1_000_000) {
      const chunk = await reader?.read();
      received += chunk?.value?.length ?? 0;
    }
    await reader?.cancel();
    expect(received).toBeGreaterThanOrEqual(1_000_000);
  });
});

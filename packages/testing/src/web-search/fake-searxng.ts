import searxngFixture from "./__fixtures__/searxng-search.json" with { type: "json" };
import {
  type FakeSearchResult,
  type FakeSearchServer,
  FakeSearchState,
  hostOf,
} from "./fake-search-server.js";
import { listenOnLoopback, recordRequest, sendJson } from "./loopback-server.js";

const [resultTemplate] = searxngFixture.results;

function toSearxngResult(result: FakeSearchResult, index: number, category: string) {
  const url = new URL(result.url);
  return {
    ...resultTemplate,
    url: result.url,
    title: result.title,
    content: result.description,
    publishedDate: result.published ?? null,
    parsed_url: [
      url.protocol.replace(/:$/, ""),
      hostOf(result.url),
      url.pathname,
      "",
      url.search.slice(1),
      "",
    ],
    positions: [index + 1],
    score: 1 / (index + 1),
    category,
  };
}

const fixtureResults: FakeSearchResult[] = searxngFixture.results.map((result) => ({
  title: result.title,
  url: result.url,
  description: result.content,
  ...(result.publishedDate ? { published: result.publishedDate } : {}),
}));

function forbidden(res: Parameters<Parameters<typeof listenOnLoopback>[0]>[1]): void {
  res.writeHead(403, { "content-type": "text/html; charset=utf-8" });
  res.end(
    "<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body><h1>Forbidden</h1></body></html>",
  );
}

/**
 * A loopback SearXNG instance: `GET /search?q=…&format=json` answering in the shape of
 * `__fixtures__/searxng-search.json`; like an instance without the json format enabled, any other format is 403.
 * Results carry the requested category, so a test sees which category a search asked for.
 */
export async function startFakeSearxng(): Promise<FakeSearchServer> {
  const state = new FakeSearchState(fixtureResults);
  const server = await listenOnLoopback(async (req, res) => {
    const request = await recordRequest(req, state.requests);
    if (request.path !== "/search" && request.path !== "/") {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
      return;
    }
    if (request.query.format !== "json") return forbidden(res);
    const failure = state.takeFailure();
    if (failure) return sendJson(res, failure.status, failure.body ?? { error: "search error" });
    const query = request.query.q ?? "";
    if (!query.trim()) return sendJson(res, 400, { error: "No query" });
    const category = (request.query.categories ?? "general").split(",")[0] ?? "general";
    sendJson(res, 200, {
      ...searxngFixture,
      query,
      results: state.results.map((result, index) => toSearxngResult(result, index, category)),
    });
  });
  return state.handle(server);
}

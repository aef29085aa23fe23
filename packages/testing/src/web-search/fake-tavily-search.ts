import { randomUUID } from "node:crypto";
import tavilyErrorFixture from "./__fixtures__/tavily-error-unauthorized.json" with { type: "json" };
import tavilyFixture from "./__fixtures__/tavily-search.json" with { type: "json" };
import { type FakeSearchResult, type FakeSearchServer, FakeSearchState } from "./fake-search-server.js";
import { listenOnLoopback, recordRequest, sendJson } from "./loopback-server.js";

export interface FakeTavilySearchOptions {
  /** Accepted as `Authorization: Bearer <key>` or, as older clients send it, `api_key` in the body. */
  apiKey: string;
}

const MAX_RESULTS = 20;

const fixtureResults: FakeSearchResult[] = tavilyFixture.results.map((result) => ({
  title: result.title,
  url: result.url,
  description: result.content,
}));

/**
 * A loopback Tavily API: `POST /search` with a JSON body, answering in the shape of `__fixtures__/tavily-search.json`
 * and with Tavily's 401 body for a missing or wrong key.
 */
export async function startFakeTavilySearch(options: FakeTavilySearchOptions): Promise<FakeSearchServer> {
  const state = new FakeSearchState(fixtureResults);
  const server = await listenOnLoopback(async (req, res) => {
    const request = await recordRequest(req, state.requests);
    if (request.path !== "/search" || request.method !== "POST") {
      return sendJson(res, 404, { detail: { error: "Not Found" } });
    }
    const body = (request.body ?? {}) as { query?: unknown; max_results?: unknown; api_key?: unknown };
    const bearer = request.headers.authorization?.replace(/^Bearer\s+/i, "");
    if (bearer !== options.apiKey && body.api_key !== options.apiKey) {
      return sendJson(res, 401, tavilyErrorFixture);
    }
    const failure = state.takeFailure();
    if (failure)
      return sendJson(res, failure.status, failure.body ?? { detail: { error: "Internal Server Error" } });
    if (typeof body.query !== "string" || !body.query.trim()) {
      return sendJson(res, 400, { detail: { error: "Query is missing." } });
    }
    const count = typeof body.max_results === "number" ? Math.min(body.max_results, MAX_RESULTS) : 5;
    sendJson(res, 200, {
      ...tavilyFixture,
      query: body.query,
      results: state.results.slice(0, count).map((result, index) => ({
        url: result.url,
        title: result.title,
        content: result.description,
        score: 1 - index / 20,
        raw_content: null,
        ...(result.published ? { published_date: result.published } : {}),
      })),
      request_id: randomUUID(),
    });
  });
  return state.handle(server);
}

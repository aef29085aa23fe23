import { randomUUID } from "node:crypto";
import braveErrorFixture from "./__fixtures__/brave-error-invalid-token.json" with { type: "json" };
import braveFixture from "./__fixtures__/brave-web-search.json" with { type: "json" };
import {
  type FakeSearchResult,
  type FakeSearchServer,
  FakeSearchState,
  hostOf,
} from "./fake-search-server.js";
import { listenOnLoopback, recordRequest, sendJson } from "./loopback-server.js";

export interface FakeBraveSearchOptions {
  /** The only `X-Subscription-Token` accepted; any other gets Brave's 422 SUBSCRIPTION_TOKEN_INVALID. */
  apiKey: string;
}

const SEARCH_PATH = "/res/v1/web/search";
/** Brave's own limit on `count`. */
const MAX_COUNT = 20;

function resultTemplate() {
  const [first] = braveFixture.web.results;
  if (!first) throw new Error("__fixtures__/brave-web-search.json has no result to shape fake results after");
  return first;
}

function braveError(status: number, code: string, detail: string) {
  return {
    ...braveErrorFixture,
    error: { ...braveErrorFixture.error, id: randomUUID(), status, code, detail },
    time: Math.floor(Date.now() / 1000),
  };
}

function toBraveResult(result: FakeSearchResult) {
  const host = hostOf(result.url);
  const { page_age: _recordedAge, ...template } = resultTemplate();
  return {
    ...template,
    title: result.title,
    url: result.url,
    description: result.description,
    ...(result.published ? { page_age: result.published } : {}),
    profile: { ...template.profile, name: host, url: result.url, long_name: host },
    meta_url: { ...template.meta_url, netloc: host, hostname: host, path: "" },
  };
}

function searchResponse(query: string, results: FakeSearchResult[]) {
  return {
    ...braveFixture,
    query: { ...braveFixture.query, original: query },
    mixed: { ...braveFixture.mixed, main: results.map((_, index) => ({ type: "web", index, all: false })) },
    web: { ...braveFixture.web, results: results.map(toBraveResult) },
  };
}

const fixtureResults: FakeSearchResult[] = braveFixture.web.results.map((result) => ({
  title: result.title,
  url: result.url,
  description: result.description,
  ...("page_age" in result && result.page_age ? { published: result.page_age } : {}),
}));

/**
 * A loopback Brave Search API: `GET /res/v1/web/search?q=…&count=…` with `X-Subscription-Token`, answering in the
 * shape of `__fixtures__/brave-web-search.json` and with Brave's error JSON for a wrong key or bad parameters.
 */
export async function startFakeBraveSearch(options: FakeBraveSearchOptions): Promise<FakeSearchServer> {
  const state = new FakeSearchState(fixtureResults);
  const server = await listenOnLoopback(async (req, res) => {
    const request = await recordRequest(req, state.requests);
    if (request.path !== SEARCH_PATH) {
      return sendJson(res, 404, braveError(404, "RESOURCE_NOT_FOUND", "Resource not found."));
    }
    if (request.headers["x-subscription-token"] !== options.apiKey) {
      return sendJson(
        res,
        422,
        braveError(422, "SUBSCRIPTION_TOKEN_INVALID", braveErrorFixture.error.detail),
      );
    }
    const failure = state.takeFailure();
    if (failure) {
      return sendJson(
        res,
        failure.status,
        failure.body ?? braveError(failure.status, "RATE_LIMITED", "Request rate limit exceeded."),
      );
    }
    const query = request.query.q ?? "";
    const count = request.query.count === undefined ? MAX_COUNT : Number(request.query.count);
    if (!query.trim() || !Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
      return sendJson(res, 422, braveError(422, "VALIDATION", "Unable to validate request parameter(s)"));
    }
    sendJson(res, 200, searchResponse(query, state.results.slice(0, count)));
  });
  return state.handle(server);
}

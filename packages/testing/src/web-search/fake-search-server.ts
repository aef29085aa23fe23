import type { FakeHttpRequest, LoopbackServer } from "./loopback-server.js";

/** One result the test wants a fake search API to return; each fake renders it in its API's own shape. */
export interface FakeSearchResult {
  title: string;
  url: string;
  /** Brave's `description`, SearXNG's and Tavily's `content`. */
  description: string;
  /** ISO date or timestamp: Brave's `page_age`, SearXNG's `publishedDate`, Tavily's `published_date`. */
  published?: string;
}

/** Makes the next request(s) fail the way the real API does (its error body unless `body` is given). */
export interface FakeSearchFailure {
  status: number;
  body?: unknown;
  /** How many consecutive requests fail; default 1. */
  times?: number;
}

export interface FakeSearchServer {
  /** `http://127.0.0.1:<port>`: the provider's base URL in the config under test. */
  readonly url: string;
  /** Every request, refused ones included, oldest first. */
  readonly requests: FakeHttpRequest[];
  /** What the next searches return (any query); the default is the recorded fixture's results. */
  setResults(results: FakeSearchResult[]): void;
  failNext(failure: FakeSearchFailure): void;
  close(): Promise<void>;
}

/** What every search fake keeps between requests: what it was asked, what it answers, and the failures queued. */
export class FakeSearchState {
  readonly requests: FakeHttpRequest[] = [];
  results: FakeSearchResult[];
  private readonly failures: FakeSearchFailure[] = [];

  constructor(initialResults: FakeSearchResult[]) {
    this.results = initialResults;
  }

  /** The failure the current request must get, if one is queued. */
  takeFailure(): FakeSearchFailure | undefined {
    return this.failures.shift();
  }

  /** The test's handle on a fake served by `server`. */
  handle(server: LoopbackServer): FakeSearchServer {
    return {
      url: server.url,
      requests: this.requests,
      setResults: (next) => {
        this.results = [...next];
      },
      failNext: (failure) => {
        for (let i = 0; i < (failure.times ?? 1); i++) this.failures.push(failure);
      },
      close: server.close,
    };
  }
}

export function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}

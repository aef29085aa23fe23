export type { FakeBraveSearchOptions } from "./fake-brave-search.js";
export { startFakeBraveSearch } from "./fake-brave-search.js";
export type { FakeSearchFailure, FakeSearchResult, FakeSearchServer } from "./fake-search-server.js";
export { startFakeSearxng } from "./fake-searxng.js";
export type { FakeTavilySearchOptions } from "./fake-tavily-search.js";
export { startFakeTavilySearch } from "./fake-tavily-search.js";
export type { FakeWebPage, FakeWebSite } from "./fake-web-site.js";
export { startFakeWebSite } from "./fake-web-site.js";
export type { FakeHttpRequest } from "./loopback-server.js";

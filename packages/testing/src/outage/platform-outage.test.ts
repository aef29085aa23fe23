import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, expect, it } from "vitest";
import { type PlatformOutage, startPlatformOutage } from "./platform-outage.js";

let upstream: Server;
let outage: PlatformOutage;

beforeEach(async () => {
  upstream = createServer((request, response) => response.end(`fake saw ${request.url}`));
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const { port } = upstream.address() as AddressInfo;
  outage = await startPlatformOutage({ target: `http://127.0.0.1:${port}/api` });
});

afterEach(async () => {
  await outage.close();
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

it("relays to the fake, then refuses, answers an HTML 500, hangs, and relays again on the same port", async () => {
  expect(await (await fetch(`${outage.url}/bot1/getMe`)).text()).toBe("fake saw /bot1/getMe");

  await outage.fail("refused");
  await expect(fetch(`${outage.url}/x`)).rejects.toMatchObject({ cause: { code: "ECONNREFUSED" } });

  await outage.fail("http-500");
  const page = await fetch(`${outage.url}/x`, { headers: { connection: "close" } });
  expect(page.status).toBe(500);
  expect(page.headers.get("content-type")).toBe("text/html");
  expect(await page.text()).toContain("<h1>500 Internal Server Error</h1>");

  await outage.fail("hang");
  await expect(fetch(`${outage.url}/x`, { signal: AbortSignal.timeout(200) })).rejects.toMatchObject({
    name: "TimeoutError",
  });

  await outage.restore();
  expect(await (await fetch(`${outage.url}/again`)).text()).toBe("fake saw /again");
  expect(outage.url).toBe(`http://127.0.0.1:${outage.port}`);
});

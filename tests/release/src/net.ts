import { once } from "node:events";
import { request } from "node:http";
import { createServer } from "node:net";

/** An ephemeral port that was free a moment ago (for children that must be told a port up front). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || address === null) throw new Error("the OS gave no port");
  return address.port;
}

/** `GET /v1/health` with a bearer token, on a fresh connection (a closed gateway must refuse it). */
export async function getHealth(port: number, token: string): Promise<{ status: number; body: string }> {
  const req = request({
    host: "127.0.0.1",
    port,
    path: "/v1/health",
    headers: { authorization: `Bearer ${token}` },
    agent: false,
  });
  req.end();
  const [response] = (await once(req, "response")) as [import("node:http").IncomingMessage];
  let body = "";
  for await (const chunk of response) body += chunk;
  return { status: response.statusCode ?? 0, body };
}

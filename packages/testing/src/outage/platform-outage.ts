import { createServer, type Server, Socket } from "node:net";

/**
 * How the platform misbehaves:
 * - `"refused"`: nothing listens on the port any more (ECONNREFUSED), as when the API host is down or firewalled;
 * - `"http-500"`: every request gets `500 Internal Server Error` with an HTML body, as from a broken reverse proxy;
 * - `"hang"`: connections are accepted and never answered, as behind a black-holing proxy.
 */
export type PlatformOutageMode = "refused" | "http-500" | "hang";

export interface PlatformOutage {
  /** `http://127.0.0.1:<port>`: give it to the client instead of the fake's own root. The port never changes. */
  readonly url: string;
  readonly port: number;
  /** The current fault, or undefined while requests pass through to the fake. */
  readonly mode: PlatformOutageMode | undefined;
  /** Connections accepted since the start (in any mode but `"refused"`), to see that a client keeps trying. */
  readonly connections: number;
  /** Starts failing every new connection the given way; open ones are cut. */
  fail(mode: PlatformOutageMode): Promise<void>;
  /** Passes connections through to the fake again (listening again on the same port after `"refused"`). */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export interface PlatformOutageOptions {
  /** The fake's root (e.g. `fake.apiRoot`); only its host and port are used, paths pass through unchanged. */
  target: string;
  /** Start in this mode instead of passing through. */
  mode?: PlatformOutageMode;
}

const HTML_500 =
  "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n" +
  "<center><h1>500 Internal Server Error</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
const HTTP_500 =
  "HTTP/1.1 500 Internal Server Error\r\nServer: nginx\r\nContent-Type: text/html\r\n" +
  `Content-Length: ${Buffer.byteLength(HTML_500)}\r\nConnection: close\r\n\r\n${HTML_500}`;

/**
 * A loopback TCP relay in front of a platform fake that can take the platform down and bring it back on the same
 * port: the way to test what a client library does while its platform is unreachable, with the library itself
 * talking real HTTP/WebSocket. Each connection is relayed byte for byte, so WebSocket upgrades pass through too.
 */
export async function startPlatformOutage(options: PlatformOutageOptions): Promise<PlatformOutage> {
  const target = new URL(options.target);
  const targetPort = Number(target.port);
  const sockets = new Set<Socket>();
  let mode = options.mode;
  let connections = 0;
  let server: Server | undefined;
  let port = 0;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  };

  const onConnection = (client: Socket) => {
    connections += 1;
    track(client);
    if (mode === "hang") return;
    if (mode === "http-500") {
      // Answer once the request has started arriving, as a server does; then close.
      client.once("data", () => client.end(HTTP_500));
      return;
    }
    const upstream = new Socket();
    track(upstream);
    upstream.connect(targetPort, target.hostname);
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  };

  const cutAll = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };

  const listen = async () => {
    const created = createServer(onConnection);
    await new Promise<void>((resolve, reject) => {
      created.once("error", reject);
      created.listen(port, "127.0.0.1", () => {
        created.off("error", reject);
        resolve();
      });
    });
    port = (created.address() as { port: number }).port;
    server = created;
  };

  const unlisten = async () => {
    const current = server;
    server = undefined;
    if (current === undefined) return;
    const closed = new Promise<void>((resolve) => current.close(() => resolve()));
    cutAll();
    await closed;
  };

  await listen();
  const listeningPort = port;
  if (mode === "refused") await unlisten();

  return {
    url: `http://127.0.0.1:${listeningPort}`,
    port: listeningPort,
    get mode() {
      return mode;
    },
    get connections() {
      return connections;
    },
    async fail(next) {
      mode = next;
      if (next === "refused") {
        await unlisten();
        return;
      }
      cutAll();
      if (server === undefined) await listen();
    },
    async restore() {
      mode = undefined;
      cutAll();
      if (server === undefined) await listen();
    },
    async close() {
      mode = "refused";
      await unlisten();
    },
  };
}

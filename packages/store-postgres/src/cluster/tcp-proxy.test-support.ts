import net from "node:net";

/**
 * A TCP proxy in front of the test PostgreSQL, so a test can cut the database away from a storage (as a network
 * partition or a stopped server would) and bring it back on the same port.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;

  async function listen(): Promise<void> {
    const next = net.createServer((client) => {
      const upstream = net.connect(target.port, target.host);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      next.once("error", reject);
      next.listen(port, "127.0.0.1", () => resolve());
    });
    port = (next.address() as net.AddressInfo).port;
    server = next;
  }

  await listen();
  return {
    get port() {
      return port;
    },
    /** Refuses new connections and resets every open one. */
    async cut(): Promise<void> {
      const closing = server;
      server = undefined;
      for (const socket of sockets) socket.resetAndDestroy();
      await new Promise<void>((resolve) => (closing ? closing.close(() => resolve()) : resolve()));
    },
    /** Accepts connections again on the same port. */
    restore: listen,
    close(): Promise<void> {
      return this.cut();
    },
  };
}

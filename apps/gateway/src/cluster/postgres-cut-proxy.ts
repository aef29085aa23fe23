import { createConnection, createServer, type Socket } from "node:net";

/**
 * A TCP proxy between the gateways and PostgreSQL, so a test can take the database away from them (every open
 * connection cut, new ones refused) without stopping the PostgreSQL other tests share.
 */
export interface PostgresCutProxy {
  /** `host:port` of the proxy on loopback. */
  readonly address: string;
  /** The database URL through the proxy. */
  readonly url: string;
  /** Connections open through the proxy right now. */
  readonly openConnections: number;
  /** True while cut. */
  readonly cut: boolean;
  /** Destroys every open connection and refuses new ones (reset at once) until `restore` or `ms` elapses. */
  cutFor(ms: number): Promise<void>;
  cutNow(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startPostgresCutProxy(databaseUrl: string): Promise<PostgresCutProxy> {
  const target = new URL(databaseUrl);
  const targetHost = target.hostname;
  const targetPort = Number(target.port || 5432);
  const pairs = new Set<[Socket, Socket]>();
  let cut = false;
  let restoreTimer: NodeJS.Timeout | undefined;

  const server = createServer((client) => {
    if (cut) {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection({ host: targetHost, port: targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as { port: number };
  const proxied = new URL(databaseUrl);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(port);

  const cutNow = () => {
    cut = true;
    for (const [client, upstream] of pairs) {
      // A reset, as a dead network path or a killed server looks to the driver (not a polite FIN).
      client.resetAndDestroy();
      upstream.destroy();
    }
    pairs.clear();
  };
  const restore = () => {
    clearTimeout(restoreTimer);
    restoreTimer = undefined;
    cut = false;
  };

  return {
    address: `127.0.0.1:${port}`,
    url: proxied.toString(),
    get openConnections() {
      return pairs.size;
    },
    get cut() {
      return cut;
    },
    cutFor: (ms) =>
      new Promise((resolve) => {
        cutNow();
        restoreTimer = setTimeout(() => {
          restore();
          resolve();
        }, ms);
      }),
    cutNow,
    restore,
    close: async () => {
      restore();
      cutNow();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

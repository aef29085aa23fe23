import { readFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { Server as TlsServer } from "node:https";
import { GatewayStartError } from "../runtime/gateway-start-error.js";

const PORT_FALLBACK_ATTEMPTS = 20;

/** A port number from the environment (`OPENCLAW_GATEWAY_PORT`), with an error naming the variable. */
export function parsePort(value: string | undefined, name = "OPENCLAW_GATEWAY_PORT"): number | undefined {
  if (value === undefined || value === "") return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new GatewayStartError(
      "PORT_INVALID",
      `${name} must be a port number between 0 and 65535, got "${value}"`,
    );
  }
  return port;
}

/** Reads the PEM files named by `gateway.tls`, with an error that says which file and how to fix it. */
export async function loadTlsFiles(tls: {
  certPath?: string;
  keyPath?: string;
}): Promise<{ cert: Buffer; key: Buffer }> {
  if (!tls.certPath || !tls.keyPath) {
    throw new GatewayStartError(
      "TLS_INVALID",
      "gateway.tls.enabled is true but gateway.tls.certPath or gateway.tls.keyPath is not set: point both at PEM files",
    );
  }
  const read = async (path: string, what: string) => {
    try {
      return await readFile(path);
    } catch (error) {
      throw new GatewayStartError(
        "TLS_INVALID",
        `cannot read the TLS ${what} at ${path} (gateway.tls.${what === "certificate" ? "certPath" : "keyPath"}): ${(error as Error).message}`,
      );
    }
  };
  return { cert: await read(tls.certPath, "certificate"), key: await read(tls.keyPath, "private key") };
}

function listenOnce(server: Server | TlsServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off("listening", onListening);
      reject(error);
    };
    const onListening = () => {
      server.off("error", onError);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen({ port, host, exclusive: true });
  });
}

/**
 * Listens on `requestedPort`, or (unless `strictPort` or port 0) on the next free one of the following 19 when it
 * is taken. Fails with PORT_IN_USE or LISTEN_FAILED naming the address.
 */
export async function listenWithFallback(
  server: Server | TlsServer,
  o: { requestedPort: number; host: string; strictPort: boolean },
): Promise<{ port: number; portFallback: boolean }> {
  for (let attempt = 0; ; attempt += 1) {
    const port = o.requestedPort + attempt;
    try {
      return { port: await listenOnce(server, port, o.host), portFallback: attempt > 0 };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const lastAttempt = o.strictPort || o.requestedPort === 0 || attempt + 1 >= PORT_FALLBACK_ATTEMPTS;
      if (code === "EADDRINUSE" && !lastAttempt) continue;
      throw new GatewayStartError(
        code === "EADDRINUSE" ? "PORT_IN_USE" : "LISTEN_FAILED",
        code === "EADDRINUSE"
          ? `port ${port} on ${o.host} is already in use: stop the other process or pass --port <free port>`
          : `cannot listen on ${o.host}:${port}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
}

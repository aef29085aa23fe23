import type { GatewayClient } from "@openclaw/client";
import { CliError } from "./cli-error.js";
import { processOutput } from "./output.js";

export interface TargetOptions {
  url?: string;
  token?: string;
  password?: string;
  timeout?: string;
}

/**
 * Works out which gateway to talk to and with which credential: flags first, then the environment, then the
 * local config file — the same places the gateway itself reads.
 */
export async function connectToGateway(options: TargetOptions): Promise<GatewayClient> {
  const gateway = await import("@openclaw/gateway");
  const paths = gateway.resolveConfigPaths();
  // A broken config file must not be silently read as "no config": say so, then go on with the flags and defaults
  // (the gateway itself keeps running its last good config).
  const loaded = await gateway.loadConfig(paths.configPath).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    processOutput.err(
      `warning: cannot use ${paths.configPath} (${reason}); going on without it (default port, no credential from it). Run \`openclaw doctor\` to see what is wrong.`,
    );
    return undefined;
  });
  let token = options.token;
  let password = options.password;
  if (token === undefined && password === undefined && loaded) {
    // A secret file other users can read (or an unset ${VAR}) is refused here as the gateway refuses it: going on
    // without the credential would only end in a misleading "token missing" from the gateway.
    const credential = await gateway
      .resolveGatewayCredential({ config: loaded.config })
      .catch((error: unknown) => {
        throw new CliError(error instanceof Error ? error.message : String(error));
      });
    if (credential.mode === "token") token = credential.secret;
    if (credential.mode === "password") password = credential.secret;
  }
  let port: number = gateway.DEFAULT_GATEWAY_PORT;
  if (loaded) {
    try {
      port = gateway.resolveGatewayPort({ config: loaded.config });
    } catch (error) {
      throw new CliError((error as Error).message);
    }
  }
  const url = options.url ?? `ws://127.0.0.1:${port}`;
  const { GatewayClient } = await import("@openclaw/client");
  const timeoutMs = options.timeout ? Number(options.timeout) : 10_000;
  const client = new GatewayClient({
    url,
    token,
    password,
    client: { id: "cli", mode: "cli" },
    requestTimeoutMs: timeoutMs,
    connectTimeoutMs: timeoutMs,
  });
  try {
    await client.connect();
  } catch (error) {
    await client.close().catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    if (/ECONNREFUSED|closed|connect/i.test(message) && !/token|password|auth/i.test(message)) {
      throw new CliError(
        `cannot reach the gateway at ${url}: ${message}. Is it running? Start it with \`openclaw gateway\``,
      );
    }
    throw new CliError(`gateway at ${url} refused the connection: ${message}`);
  }
  return client;
}

/** Runs one request against the gateway and closes the connection afterwards. */
export async function callGateway(
  options: TargetOptions,
  method: string,
  params?: unknown,
): Promise<unknown> {
  const client = await connectToGateway(options);
  try {
    return await client.request(method, params);
  } catch (error) {
    const coded = error as { code?: string; details?: { code?: string } };
    const code = [coded.code, coded.details?.code].filter(Boolean).join("/");
    throw new CliError(`${method} failed${code ? ` (${code})` : ""}: ${(error as Error).message}`);
  } finally {
    await client.close();
  }
}

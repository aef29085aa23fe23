import { homedir } from "node:os";
import { join } from "node:path";
import { startNodeHost } from "@openclaw/node-host";
import { CliError } from "../cli-error.js";
import type { Output } from "../output.js";

export interface NodeRunOptions {
  url: string;
  token?: string;
  password?: string;
  displayName?: string;
  stateDir?: string;
}

/** Runs the node host in the foreground until SIGINT or SIGTERM. */
export async function runNodeHost(options: NodeRunOptions, output: Output): Promise<number> {
  if (!/^wss?:\/\//.test(options.url)) {
    throw new CliError(`--url must be a ws:// or wss:// URL, got "${options.url}"`, 2);
  }
  const env = process.env;
  const token = options.token ?? env.OPENCLAW_GATEWAY_TOKEN;
  const password = options.password ?? env.OPENCLAW_GATEWAY_PASSWORD;
  const stateDir = options.stateDir ?? env.OPENCLAW_STATE_DIR ?? join(homedir(), ".openclaw");
  const host = startNodeHost({
    url: options.url,
    ...(token ? { token } : {}),
    ...(password ? { password } : {}),
    ...(options.displayName ? { displayName: options.displayName } : {}),
    stateDir,
    log: (line) => output.err(line),
    onNotify: (notification) => output.out(JSON.stringify({ type: "notification", ...notification })),
  });
  output.err(`node ${host.deviceId} starting (state in ${join(stateDir, "node")})`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await host.close();
  return 0;
}

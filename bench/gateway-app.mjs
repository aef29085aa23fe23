#!/usr/bin/env node
// `node bench/gateway-app.mjs <port>`: the gateway from the built @openclaw/gateway (apps/gateway/dist, unbundled)
// instead of the `openclaw` CLI bundle, with the same environment (OPENCLAW_STATE_DIR, OPENCLAW_GATEWAY_TOKEN) and
// the same SIGTERM behaviour (close, then exit). For `--via app` in bench/session-scale.mjs: a way to measure the
// gateway when the CLI bundle cannot load something the packages can (e.g. a bundler rewriting `node:sqlite`).
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { root } from "./bench-support.mjs";

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port < 1) throw new Error("usage: node bench/gateway-app.mjs <port>");
const { startGatewayServer } = await import(pathToFileURL(join(root, "apps/gateway/dist/index.js")).href);
const gateway = await startGatewayServer(port, {
  auth: { mode: "token", token: process.env.OPENCLAW_GATEWAY_TOKEN },
  logLevel: "error",
});
process.once("SIGTERM", () => {
  gateway.close().then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`gateway close failed: ${error.message}\n`);
      process.exit(1);
    },
  );
});

// One gateway of a test cluster, in its own process so a test can SIGKILL it. Imports the built @openclaw/gateway
// (apps/gateway/dist). Usage: node cluster-gateway.mjs '<json options>'; prints one JSON line { url, pid } once
// listening, and closes gracefully on SIGTERM (then exits 0).
import { startGatewayServer } from "../../../dist/index.js";

const options = JSON.parse(process.argv[2] ?? "null");
if (!options || typeof options.stateDir !== "string" || typeof options.token !== "string") {
  process.stderr.write('usage: cluster-gateway.mjs \'{"stateDir":...,"token":...,"port":0}\'\n');
  process.exit(2);
}
const server = await startGatewayServer(options.port ?? 0, {
  stateDir: options.stateDir,
  auth: { mode: "token", token: options.token },
  env: options.env ?? {},
  logLevel: options.logLevel ?? "warn",
  consoleLog: true,
  channelBackoff: { initialMs: 50, maxMs: 400 },
  ...(options.cronCatchUpDelayMs !== undefined
    ? { cron: { catchUpDelayMs: options.cronCatchUpDelayMs } }
    : {}),
});
process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);
process.once("SIGTERM", () => {
  server.close({ reason: "shutdown" }).then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`gateway close failed: ${error?.message ?? error}\n`);
      process.exit(1);
    },
  );
});

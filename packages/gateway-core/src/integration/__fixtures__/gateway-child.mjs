// A gateway in its own process, so a test can SIGKILL it mid-burst. Imports the built package (dist/).
// Usage: node gateway-child.mjs <stateDir> <token>; prints one JSON line { url } once listening.
import { startGateway } from "../../../dist/index.js";

const [stateDir, token] = process.argv.slice(2);
if (!stateDir || !token) {
  process.stderr.write("usage: gateway-child.mjs <stateDir> <token>\n");
  process.exit(2);
}
const server = await startGateway({ port: 0, stateDir, auth: { mode: "token", token }, env: {} });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);

import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runServer } from "verdaccio";

export interface LocalRegistry {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** A user config with the registry and a publish token; pass it as npm_config_userconfig. */
  npmrcPath: string;
  /** The `.npmrc` lines (registry + token) for a workspace whose pnpm must publish here. */
  npmrcText: string;
  close(): Promise<void>;
}

/** Our package names: served only from local storage, never looked up on the uplink (npm has another `openclaw`). */
const LOCAL_ONLY = ["openclaw", "@openclaw/*"];

/** The machine's proxy settings, which npm would use to reach the uplink, for Verdaccio's uplink too. */
function proxyLines(): string[] {
  const lines: string[] = [];
  const settings = {
    http_proxy: process.env.http_proxy ?? process.env.HTTP_PROXY,
    https_proxy: process.env.https_proxy ?? process.env.HTTPS_PROXY,
    no_proxy: process.env.no_proxy ?? process.env.NO_PROXY,
  };
  for (const [key, value] of Object.entries(settings)) {
    if (value) lines.push(`    ${key}: ${JSON.stringify(value)}`);
  }
  return lines;
}

function configYaml(uplink: string): string {
  const local = LOCAL_ONLY.map(
    (pattern) =>
      `  '${pattern}':\n    access: $all\n    publish: $authenticated\n    unpublish: $authenticated\n`,
  ).join("");
  return [
    "storage: ./storage",
    "auth:",
    "  htpasswd:",
    "    file: ./htpasswd",
    "    max_users: 10",
    "uplinks:",
    "  npmjs:",
    `    url: ${JSON.stringify(uplink)}`,
    ...proxyLines(),
    "    timeout: 60s",
    // Metadata fetched once per run is fresh enough: the uplink's packages do not change under a test.
    "    maxage: 30m",
    "    max_fails: 20",
    "    fail_timeout: 10s",
    "packages:",
    local.trimEnd(),
    "  '**':",
    "    access: $all",
    "    publish: $authenticated",
    "    proxy: npmjs",
    "max_body_size: 200mb",
    "web:",
    "  enable: false",
    "log: { type: stdout, format: pretty, level: error }",
    "",
  ].join("\n");
}

/**
 * Starts Verdaccio in this process on 127.0.0.1 (an ephemeral port) with storage and config in a temp dir, and
 * creates a user through the registry's own API (`PUT /-/user/org.couchdb.user:<name>`), as `npm adduser` does.
 */
export async function startLocalRegistry(o: { uplink: string }): Promise<LocalRegistry> {
  const dir = await mkdtemp(join(tmpdir(), "openclaw-registry-"));
  const configPath = join(dir, "config.yaml");
  await writeFile(configPath, configYaml(o.uplink));
  const server = (await runServer(configPath)) as Server;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/`;
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const token = await addUser(url, "release-test", `pw-${process.pid}-${Date.now()}`);
    const npmrcText = `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`;
    const npmrcPath = join(dir, "npmrc");
    await writeFile(npmrcPath, npmrcText, { mode: 0o600 });
    return { url, npmrcPath, npmrcText, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function addUser(url: string, name: string, password: string): Promise<string> {
  const response = await fetch(`${url}-/user/org.couchdb.user:${encodeURIComponent(name)}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, password, type: "user", roles: [], date: new Date().toISOString() }),
  });
  const body = (await response.json()) as { token?: string };
  if (response.status !== 201 || typeof body.token !== "string") {
    throw new Error(`creating a registry user failed (${response.status}): ${JSON.stringify(body)}`);
  }
  return body.token;
}

/** The registry's packument for `name` (`GET /<name>`), or undefined on 404. */
export async function fetchPackument(
  url: string,
  name: string,
): Promise<{ "dist-tags": Record<string, string>; versions: Record<string, unknown> } | undefined> {
  const response = await fetch(`${url}${name.replace("/", "%2f")}`);
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`GET ${url}${name} answered ${response.status}`);
  return (await response.json()) as {
    "dist-tags": Record<string, string>;
    versions: Record<string, unknown>;
  };
}

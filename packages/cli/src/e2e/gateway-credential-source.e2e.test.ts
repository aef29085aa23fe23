import { access, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  cliEnv,
  freePort,
  makeStateDir,
  type RunningGateway,
  removeStateDir,
  runCli,
  startCliGateway,
} from "./cli-process.js";

let stateDir: string;
let gateway: RunningGateway | undefined;

beforeEach(async () => {
  stateDir = await makeStateDir();
});

afterEach(async () => {
  await gateway?.stop("SIGKILL");
  gateway = undefined;
  await removeStateDir(stateDir);
});

const SECRET = "5ec7e7".repeat(8);
const STORED_CLAIM = "Token: stored in your config";

async function startWith(args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
  gateway = startCliGateway(["--port", String(await freePort()), ...args], cliEnv(stateDir, extraEnv));
  return gateway.ready;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe("openclaw gateway says where its credential came from", () => {
  it("--token: names the flag, warns that other users can read it, and does not claim it is stored", async () => {
    const output = await startWith(["--token", SECRET]);
    expect(output).toMatch(/Auth\s+token \(from the --token flag\)/);
    expect(output).toContain("Token: from the --token flag, not stored in your config");
    expect(output).not.toContain(STORED_CLAIM);
    expect(output).toContain("warning: --token is visible to every user of this machine");
    expect(output).toContain("OPENCLAW_GATEWAY_TOKEN_FILE");
    expect(output).toContain("chmod 600");
    expect(output).not.toContain(SECRET);
    const configPath = join(stateDir, "openclaw.json");
    if (await exists(configPath)) expect(await readFile(configPath, "utf8")).not.toContain(SECRET);
  });

  it("OPENCLAW_GATEWAY_TOKEN: names the variable, no warning, and clients with the same variable get in", async () => {
    const output = await startWith([], { OPENCLAW_GATEWAY_TOKEN: SECRET });
    expect(output).toMatch(/Auth\s+token \(from the OPENCLAW_GATEWAY_TOKEN environment variable\)/);
    expect(output).toContain(
      "Token: from the OPENCLAW_GATEWAY_TOKEN environment variable, not stored in your config",
    );
    expect(output).not.toContain(STORED_CLAIM);
    expect(output).not.toContain("warning:");
    expect(output).not.toContain(SECRET);
    const url = /ws:\/\/127\.0\.0\.1:\d+/.exec(output)?.[0] ?? "";
    const health = await runCli(
      ["health", "--url", url, "--json"],
      cliEnv(stateDir, { OPENCLAW_GATEWAY_TOKEN: SECRET }),
    );
    expect(JSON.parse(health.stdout)).toMatchObject({ ok: true });
  });

  it("OPENCLAW_GATEWAY_TOKEN_FILE: names the file, and a file other users can read stops the start", async () => {
    const tokenFile = join(stateDir, "gateway-token");
    await writeFile(tokenFile, `${SECRET}\n`, { mode: 0o600 });
    const output = await startWith([], { OPENCLAW_GATEWAY_TOKEN_FILE: tokenFile });
    expect(output).toContain(
      `Token: from the file ${tokenFile} (OPENCLAW_GATEWAY_TOKEN_FILE), not stored in your config`,
    );
    expect(output).not.toContain(STORED_CLAIM);
    expect(output).not.toContain(SECRET);
    await gateway?.stop();

    const shared = join(stateDir, "shared-token");
    await writeFile(shared, `${SECRET}\n`, { mode: 0o644 });
    const refused = await runCli(
      ["gateway", "--port", String(await freePort())],
      cliEnv(stateDir, { OPENCLAW_GATEWAY_TOKEN_FILE: shared }),
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`chmod 600 ${shared}`);
    expect(refused.stdout + refused.stderr).not.toContain(SECRET);
  });

  it("a token in the config: says it is stored there and how to print it", async () => {
    const configPath = join(stateDir, "openclaw.json");
    await writeFile(configPath, JSON.stringify({ gateway: { auth: { token: SECRET } } }), { mode: 0o600 });
    const output = await startWith([]);
    expect(output).toMatch(new RegExp(`Auth\\s+token \\(from gateway\\.auth\\.token in ${configPath}\\)`));
    expect(output).toMatch(
      /Token: stored in your config; print it with `node \S+ config get gateway\.auth\.token --show-secrets`/,
    );
    expect(output).not.toContain(SECRET);
  });

  it("a fresh state dir: prints the generated token on its own `Token: <hex>` line, as before", async () => {
    const output = await startWith([]);
    expect(output).toMatch(/^Token: [0-9a-f]{64}$/m);
    expect(output).toMatch(/Auth\s+token \(from a new token, saved to .*openclaw\.json\)/);
    expect(output).not.toContain("warning:");
  });

  it("--password: warns the same way and names the password variables", async () => {
    const output = await startWith(["--auth", "password", "--password", SECRET]);
    expect(output).toMatch(/Auth\s+password \(from the --password flag\)/);
    expect(output).toContain("warning: --password is visible to every user of this machine");
    expect(output).toContain("OPENCLAW_GATEWAY_PASSWORD_FILE");
    expect(output).not.toContain(SECRET);
  });

  it("--help of the client commands names the variables instead of the flag", async () => {
    const help = await runCli(["health", "--help"], cliEnv(stateDir));
    expect(help.stdout).toContain("OPENCLAW_GATEWAY_TOKEN_FILE");
    expect(help.stdout).toContain("OPENCLAW_GATEWAY_PASSWORD_FILE");
    const gatewayHelp = await runCli(["gateway", "--help"], cliEnv(stateDir));
    expect(gatewayHelp.stdout).toMatch(/prefer\s+OPENCLAW_GATEWAY_TOKEN\s+or\s+OPENCLAW_GATEWAY_TOKEN_FILE/);
  });
});

import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLI_HINT, cliEnv, freePort, makeStateDir, removeStateDir, runCli } from "./cli-process.js";

let stateDir: string;

beforeEach(async () => {
  stateDir = await makeStateDir();
});

afterEach(async () => {
  await removeStateDir(stateDir);
});

const SECRET = "c1e27".repeat(10);

describe("client commands refuse a credential the gateway would refuse", () => {
  it("a token file other users can read: exits 1 with the chmod fix instead of connecting without a token", async () => {
    const shared = join(stateDir, "shared-token");
    await writeFile(shared, `${SECRET}\n`, { mode: 0o644 });
    const url = `ws://127.0.0.1:${await freePort()}`;
    const result = await runCli(
      ["health", "--url", url, "--json"],
      cliEnv(stateDir, { OPENCLAW_GATEWAY_TOKEN_FILE: shared }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`chmod 600 ${shared}`);
    expect(result.stderr).not.toContain("cannot reach the gateway");
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it("a config token referring to an unset variable: exits 1 naming the variable", async () => {
    await writeFile(
      join(stateDir, "openclaw.json"),
      JSON.stringify({ gateway: { auth: { token: `\${OPENCLAW_TEST_UNSET_TOKEN}` } } }),
      { mode: 0o600 },
    );
    const url = `ws://127.0.0.1:${await freePort()}`;
    const result = await runCli(["status", "--url", url], cliEnv(stateDir));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("OPENCLAW_TEST_UNSET_TOKEN");
  });

  it("a config file that does not parse is reported, not silently read as no config", async () => {
    await writeFile(join(stateDir, "openclaw.json"), "{ gateway: { port: ", { mode: 0o600 });
    const url = `ws://127.0.0.1:${await freePort()}`;
    const result = await runCli(["health", "--url", url], cliEnv(stateDir));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot use ${join(stateDir, "openclaw.json")}`);
    expect(result.stderr).toContain(`${CLI_HINT} doctor`);
  });

  it("--token skips the file: a flag given explicitly is used as before", async () => {
    const shared = join(stateDir, "shared-token");
    await writeFile(shared, `${SECRET}\n`, { mode: 0o644 });
    const url = `ws://127.0.0.1:${await freePort()}`;
    const result = await runCli(
      ["health", "--url", url, "--token", "flag-token"],
      cliEnv(stateDir, { OPENCLAW_GATEWAY_TOKEN_FILE: shared }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cannot reach the gateway");
    expect(result.stderr).not.toContain("chmod 600");
  });
});

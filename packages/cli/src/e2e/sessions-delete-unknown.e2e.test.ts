import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
let env: NodeJS.ProcessEnv;
let url: string;
let gateway: RunningGateway;

beforeAll(async () => {
  stateDir = await makeStateDir();
  env = cliEnv(stateDir);
  const port = await freePort();
  url = `ws://127.0.0.1:${port}`;
  gateway = startCliGateway(["--port", String(port)], env);
  await gateway.ready;
});

afterAll(async () => {
  await gateway?.stop("SIGKILL");
  await removeStateDir(stateDir);
});

describe("openclaw sessions delete", () => {
  it("an unknown key fails (exit 1), naming the key and how to list sessions", async () => {
    const result = await runCli(["sessions", "delete", "--key", "agent:main:nope", "--url", url], env);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain("done");
    expect(result.stderr).toContain('no session "agent:main:nope"');
    // The CLI under test runs as `node <path>/bin.js`, so that is the command the hint names.
    expect(result.stderr).toMatch(/`node \S*bin\.js sessions list`/);
  });

  it("--json still prints the gateway's answer (deleted: false) and exits 1", async () => {
    const result = await runCli(
      ["sessions", "delete", "--key", "agent:main:nope", "--url", url, "--json"],
      env,
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, key: "agent:main:nope", deleted: false });
    expect(result.stderr).toContain('no session "agent:main:nope"');
  });

  it("an existing session is deleted and the command says so (exit 0); deleting it again fails", async () => {
    const created = await runCli(
      [
        "gateway",
        "call",
        "sessions.patch",
        "--url",
        url,
        "--params",
        '{"key":"agent:main:main","label":"x"}',
      ],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const deleted = await runCli(["sessions", "delete", "--key", "agent:main:main", "--url", url], env);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain("sessions.delete: done for agent:main:main");
    const list = await runCli(["sessions", "list", "--url", url, "--json"], env);
    expect(JSON.parse(list.stdout).sessions).toEqual([]);
    const again = await runCli(["sessions", "delete", "--key", "agent:main:main", "--url", url], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no session "agent:main:main"');
  });
});

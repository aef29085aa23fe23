import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger, type LogRecord } from "../logging/logger.js";
import { type ExposeViaTailscaleOptions, exposeViaTailscale } from "./expose-via-tailscale.js";
import { TailscaleError } from "./tailscale-error.js";

/**
 * A stand-in for the `tailscale` CLI: appends its argv to $FAKE_TS_LOG, answers `status --json` with
 * $FAKE_TS_STATUS, and fails any command whose first word is $FAKE_TS_FAIL.
 */
const FAKE_TAILSCALE = `#!/bin/sh
printf '%s\\n' "$*" >> "$FAKE_TS_LOG"
if [ "$1" = "$FAKE_TS_FAIL" ]; then
  echo "error: serve config denied for this node" >&2
  echo "see https://tailscale.com/s/serve" >&2
  exit 1
fi
if [ "$1" = "status" ]; then
  printf '%s\\n' "$FAKE_TS_STATUS"
fi
exit 0
`;

const RUNNING_STATUS = JSON.stringify({
  BackendState: "Running",
  Self: { DNSName: "gateway-host.tail1234.ts.net.", TailscaleIPs: ["100.101.102.103"] },
});

let dir: string;
let bin: string;
let argvLog: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-tailscale-"));
  bin = join(dir, "tailscale");
  argvLog = join(dir, "argv.log");
  await writeFile(bin, FAKE_TAILSCALE);
  await chmod(bin, 0o755);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function options(overrides: Partial<ExposeViaTailscaleOptions> & { fail?: string; status?: string }) {
  const { fail, status, ...rest } = overrides;
  return {
    mode: "serve" as const,
    port: 18789,
    authMode: "token" as const,
    resetOnExit: false,
    bin,
    env: { FAKE_TS_LOG: argvLog, FAKE_TS_STATUS: status ?? RUNNING_STATUS, FAKE_TS_FAIL: fail ?? "" },
    ...rest,
  };
}

async function calls(): Promise<string[]> {
  try {
    return (await readFile(argvLog, "utf8")).trim().split("\n");
  } catch {
    return [];
  }
}

async function rejection(promise: Promise<unknown>): Promise<TailscaleError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a TailscaleError");
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TailscaleError);
  return error as TailscaleError;
}

describe("exposeViaTailscale", () => {
  it("serves the port on the tailnet and reports the MagicDNS URL", async () => {
    const records: LogRecord[] = [];
    const logger = createLogger({ sinks: [(record) => records.push(record)] });
    const exposure = await exposeViaTailscale(options({ logger }));
    expect(exposure.url).toBe("https://gateway-host.tail1234.ts.net/");
    expect(await calls()).toEqual(["status --json", "serve --bg --yes 18789"]);
    expect(records.map((record) => record.msg)).toContain("tailscale serve enabled");
    await exposure.stop();
    expect(await calls()).toEqual(["status --json", "serve --bg --yes 18789"]);
  });

  it("resets Serve on stop when resetOnExit is set, once", async () => {
    const exposure = await exposeViaTailscale(options({ resetOnExit: true }));
    await Promise.all([exposure.stop(), exposure.stop()]);
    await exposure.stop();
    expect(await calls()).toEqual(["status --json", "serve --bg --yes 18789", "serve reset"]);
  });

  it("proxies to https when the gateway serves TLS itself", async () => {
    await exposeViaTailscale(options({ tls: true, port: 8443 }));
    expect((await calls())[1]).toBe("serve --bg --yes https+insecure://127.0.0.1:8443");
  });

  it("refuses Funnel without password auth, before running anything", async () => {
    for (const authMode of ["token", "none"] as const) {
      const error = await rejection(exposeViaTailscale(options({ mode: "funnel", authMode })));
      expect(error.code).toBe("TAILSCALE_FUNNEL_NEEDS_PASSWORD");
      expect(error.message).toContain('gateway.auth.mode: "password"');
    }
    expect(await calls()).toEqual([]);
  });

  it("opens Funnel with password auth and resets it on stop", async () => {
    const exposure = await exposeViaTailscale(
      options({ mode: "funnel", authMode: "password", resetOnExit: true }),
    );
    expect(exposure.url).toBe("https://gateway-host.tail1234.ts.net/");
    await exposure.stop();
    expect(await calls()).toEqual(["status --json", "funnel --bg --yes 18789", "funnel reset"]);
  });

  it("refuses a gateway that is not bound to loopback", async () => {
    const error = await rejection(exposeViaTailscale(options({ bind: "lan" })));
    expect(error.code).toBe("TAILSCALE_NEEDS_LOOPBACK_BIND");
    expect(error.message).toContain('gateway.bind: "loopback"');
    expect(await calls()).toEqual([]);
  });

  it("says how to install Tailscale when the CLI is missing", async () => {
    const error = await rejection(exposeViaTailscale(options({ bin: join(dir, "no-such-tailscale") })));
    expect(error.code).toBe("TAILSCALE_NOT_FOUND");
    expect(error.message).toContain("https://tailscale.com/download");
  });

  it("reports the CLI's stderr when a command fails", async () => {
    const error = await rejection(exposeViaTailscale(options({ fail: "serve" })));
    expect(error.code).toBe("TAILSCALE_FAILED");
    expect(error.message).toContain("serve --bg --yes 18789` exited with 1");
    expect(error.message).toContain(
      "error: serve config denied for this node | see https://tailscale.com/s/serve",
    );
  });

  it("refuses when Tailscale is not logged in", async () => {
    const status = JSON.stringify({ BackendState: "NeedsLogin", Self: {} });
    const error = await rejection(exposeViaTailscale(options({ status })));
    expect(error.code).toBe("TAILSCALE_NOT_RUNNING");
    expect(error.message).toContain("tailscale up");
    expect(await calls()).toEqual(["status --json"]);
  });

  it("goes on without a URL when the status has no DNS name", async () => {
    const exposure = await exposeViaTailscale(options({ status: "not json" }));
    expect(exposure.url).toBeUndefined();
    expect(await calls()).toEqual(["status --json", "serve --bg --yes 18789"]);
  });

  it("logs, and does not throw, when the reset on stop fails", async () => {
    const records: LogRecord[] = [];
    const logger = createLogger({ sinks: [(record) => records.push(record)] });
    const exposure = await exposeViaTailscale(options({ resetOnExit: true, logger }));
    await writeFile(bin, FAKE_TAILSCALE.replace('"$FAKE_TS_FAIL"', '"serve"'));
    await exposure.stop();
    expect(records.at(-1)).toMatchObject({
      level: "warn",
      msg: expect.stringContaining("serve reset failed"),
    });
  });
});

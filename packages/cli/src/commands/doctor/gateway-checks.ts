import { createServer } from "node:net";
import type { GatewayClient } from "@openclaw/client";
import type { ChannelsStatusResult } from "@openclaw/protocol";
import type { TargetOptions } from "../../gateway-target.js";
import { check, type DoctorCheck } from "./doctor-check.js";

export type ConnectGateway = (options: TargetOptions) => Promise<GatewayClient>;

/** Resolves to the listen error's code, or undefined when the port could be taken (and was released again). */
function tryListen(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => {
      server.close(() => resolve(undefined));
    });
  });
}

export interface PortInspection {
  check: DoctorCheck;
  /** Connected to the gateway that holds the port; the caller closes it. */
  client: GatewayClient | undefined;
}

/**
 * A taken port is fine when our own gateway holds it; the only way to know is to sign in and ask for `health`
 * with the credential this config would give clients.
 */
export async function checkPort(
  port: number,
  target: TargetOptions,
  connect: ConnectGateway,
): Promise<PortInspection> {
  const failure = await tryListen(port);
  if (failure === undefined) {
    return { check: check("port", "ok", `port ${port} is free (no gateway is running)`), client: undefined };
  }
  if (failure !== "EADDRINUSE") {
    return {
      check: check(
        "port",
        "error",
        `cannot listen on 127.0.0.1:${port}: ${failure}`,
        "choose a port above 1024: `openclaw config set gateway.port 18789`",
      ),
      client: undefined,
    };
  }
  let client: GatewayClient;
  try {
    client = await connect(target);
    await client.request("health", {});
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const refusedCredential = /unauthori[sz]ed|token|password|auth/i.test(reason);
    return {
      check: refusedCredential
        ? check(
            "port",
            "warn",
            `port ${port} is held by a gateway that refused the configured credential (${reason})`,
            "make gateway.auth / OPENCLAW_GATEWAY_TOKEN match the running gateway, or pass --token",
          )
        : check(
            "port",
            "error",
            `port ${port} is taken by another process (no gateway answered health: ${reason})`,
            `stop that process (\`ss -ltnp 'sport = :${port}'\` shows it) or choose another port: \`openclaw config set gateway.port ${port + 1}\``,
          ),
      client: undefined,
    };
  }
  return {
    check: check("port", "ok", `port ${port} is held by a running gateway that answers health`),
    client,
  };
}

interface ProbedAccount {
  accountId: string;
  enabled?: boolean;
  configured?: boolean;
  lastError?: string | null;
  probe?: { ok: boolean; detail?: string };
}

/** Asks the running gateway to probe each configured channel account against its platform. */
export async function checkChannels(client: GatewayClient, timeoutMs: number): Promise<DoctorCheck[]> {
  let status: ChannelsStatusResult;
  try {
    // The gateway stops probing at timeoutMs; the request waits a little longer so that answer, not a client
    // timeout, is what the user reads.
    status = (await client.request(
      "channels.status",
      { probe: true, timeoutMs },
      { timeoutMs: timeoutMs + 5_000 },
    )) as ChannelsStatusResult;
  } catch (error) {
    return [
      check(
        "channels",
        "error",
        `channels.status failed: ${(error as Error).message}`,
        "check the gateway log (`openclaw gateway call logs.tail`)",
      ),
    ];
  }
  const checks: DoctorCheck[] = [];
  for (const channel of status.channelOrder) {
    const label = status.channelLabels[channel] ?? channel;
    for (const account of (status.channelAccounts[channel] ?? []) as ProbedAccount[]) {
      const id = `channel:${channel}:${account.accountId}`;
      const name = `${label} account "${account.accountId}"`;
      if (account.enabled === false) {
        checks.push(check(id, "skipped", `${name} is disabled`));
      } else if (account.configured === false && account.lastError) {
        // It never started: its plugin did not load (e.g. its package is not installed) or its config is invalid.
        // The error names the cause and its fix; a probe of it would only repeat that as a credentials problem.
        checks.push(
          check(
            id,
            "error",
            `${name}: ${account.lastError}`,
            "fix that, then restart the gateway (stop and start `openclaw gateway`, or `openclaw gateway restart` for the service)",
          ),
        );
      } else if (account.probe && !account.probe.ok) {
        checks.push(
          check(
            id,
            "error",
            `${name} probe failed: ${account.probe.detail ?? "no detail"}`,
            `check channels.${channel} credentials (\`openclaw channels status --probe\`)`,
          ),
        );
      } else if (account.lastError) {
        checks.push(
          check(
            id,
            "warn",
            `${name}: ${account.lastError}`,
            `restart it with \`openclaw channels start ${channel}\` after fixing the cause`,
          ),
        );
      } else {
        checks.push(check(id, "ok", `${name} ${account.probe ? "probe ok" : "has no probe; running"}`));
      }
    }
  }
  if (checks.length === 0) checks.push(check("channels", "ok", "no channel accounts are configured"));
  return checks;
}

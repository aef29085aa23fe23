import {
  ConfigError,
  type ConfigPaths,
  DEFAULT_GATEWAY_PORT,
  type OpenClawConfig,
  resolveConfigPaths,
  resolveGatewayCredential,
  resolveGatewayPort,
} from "@openclaw/gateway";
import { connectToGateway } from "../../gateway-target.js";
import { type Output, printJson } from "../../output.js";
import {
  type CredentialSummary,
  checkBindSafety,
  checkTailscale,
  checkTokenStrength,
} from "./auth-checks.js";
import { checkStatePermissions, inspectConfig } from "./config-file-checks.js";
import { check, type DoctorCheck, printChecklist } from "./doctor-check.js";
import { type ConnectGateway, checkChannels, checkPort } from "./gateway-checks.js";
import { checkNodeVersion } from "./node-version-check.js";
import { checkProviders } from "./provider-checks.js";
import { checkSessionIndexes } from "./session-index-checks.js";
import { checkStorage } from "./storage-check.js";

export type { DoctorCheck, DoctorStatus } from "./doctor-check.js";

export interface DoctorOptions {
  json?: boolean;
  /** False skips the network checks (provider reachability, channel probes). */
  probe?: boolean;
  /** Gateway to reach when the port is taken (default ws://127.0.0.1:<configured port>). */
  url?: string;
  token?: string;
  password?: string;
  /** Per network check, in milliseconds (a string as commander passes it). Default 5000. */
  timeout?: string | number;
  /** Repair what can be repaired offline: a damaged or incomplete session index. */
  fix?: boolean;
}

/** What the doctor reads from its surroundings; tests replace them. */
export interface DoctorDeps {
  env?: NodeJS.ProcessEnv;
  nodeVersion?: string;
  platform?: NodeJS.Platform;
  connect?: ConnectGateway;
}

const DEFAULT_TIMEOUT_MS = 5_000;

function timeoutOf(value: string | number | undefined): number {
  const parsed = Number(value);
  return value === undefined || !Number.isFinite(parsed) || parsed <= 0 ? DEFAULT_TIMEOUT_MS : parsed;
}

function resolvePort(config: OpenClawConfig, env: NodeJS.ProcessEnv): number | DoctorCheck {
  try {
    return resolveGatewayPort({ config, env });
  } catch (error) {
    return check(
      "port",
      "error",
      (error as Error).message,
      `unset OPENCLAW_GATEWAY_PORT or set it to a port such as ${DEFAULT_GATEWAY_PORT}`,
    );
  }
}

async function resolveCredential(
  config: OpenClawConfig,
  env: NodeJS.ProcessEnv,
): Promise<CredentialSummary | DoctorCheck> {
  try {
    const credential = await resolveGatewayCredential({ config, env });
    return credential.secret === undefined
      ? { mode: credential.mode }
      : { mode: credential.mode, secret: credential.secret };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return check("auth", "error", error.message, "fix gateway.auth or the environment variable it names");
  }
}

async function runGatewayChecks(
  config: OpenClawConfig,
  options: DoctorOptions,
  deps: Required<Pick<DoctorDeps, "env" | "connect">>,
): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const credential = await resolveCredential(config, deps.env);
  if ("status" in credential) checks.push(credential);
  else
    checks.push(
      checkTokenStrength(credential),
      checkBindSafety(config, credential),
      checkTailscale(config, credential),
    );

  const timeoutMs = timeoutOf(options.timeout);
  const port = resolvePort(config, deps.env);
  let client: Awaited<ReturnType<typeof checkPort>>["client"];
  if (typeof port !== "number") checks.push(port);
  else {
    const summary = "status" in credential ? undefined : credential;
    const inspection = await checkPort(
      port,
      {
        url: options.url ?? `ws://127.0.0.1:${port}`,
        token: options.token ?? (summary?.mode === "token" ? summary.secret : undefined),
        password: options.password ?? (summary?.mode === "password" ? summary.secret : undefined),
        timeout: String(timeoutMs),
      },
      deps.connect,
    );
    checks.push(inspection.check);
    client = inspection.client;
  }

  try {
    if (options.probe === false) {
      checks.push(check("providers", "skipped", "provider reachability not checked (--no-probe)"));
      checks.push(check("channels", "skipped", "channel probes not run (--no-probe)"));
      return checks;
    }
    checks.push(...(await checkProviders(config, deps.env, timeoutMs)));
    if (client === undefined) {
      checks.push(
        check(
          "channels",
          "skipped",
          "channel probes need a running gateway: start it with `openclaw gateway` and run doctor again",
        ),
      );
    } else checks.push(...(await checkChannels(client, timeoutMs)));
    return checks;
  } finally {
    await client?.close().catch(() => undefined);
  }
}

/** Collects every check without printing; exposed for callers that render the result themselves. */
export async function collectDoctorChecks(
  options: DoctorOptions = {},
  deps: DoctorDeps = {},
): Promise<{ paths: ConfigPaths; checks: DoctorCheck[] }> {
  const env = deps.env ?? process.env;
  const paths = resolveConfigPaths({ env });
  const checks: DoctorCheck[] = [checkNodeVersion(deps.nodeVersion ?? process.versions.node)];
  const inspection = await inspectConfig(paths);
  checks.push(...inspection.checks);
  checks.push(...(await checkStatePermissions(paths, inspection.config, deps.platform ?? process.platform)));
  checks.push(...(await checkStorage(paths, inspection.config)));
  checks.push(...(await checkSessionIndexes(paths.stateDir, options.fix === true)));
  if (inspection.config === undefined) {
    checks.push(
      check("gateway", "skipped", "auth, bind, port, provider and channel checks need a valid config"),
    );
  } else {
    checks.push(
      ...(await runGatewayChecks(inspection.config, options, {
        env,
        connect: deps.connect ?? connectToGateway,
      })),
    );
  }
  return { paths, checks };
}

/**
 * `openclaw doctor`: a checklist of what stands between this machine and a working gateway (read-only unless `fix`). Prints ✓ / ! /
 * ✗ lines with the fix under each problem, or with `json` an array of checks. Resolves to 1 when any check is an
 * error, else 0.
 */
export async function runDoctor(
  options: DoctorOptions,
  output: Output,
  deps: DoctorDeps = {},
): Promise<number> {
  const { paths, checks } = await collectDoctorChecks(options, deps);
  if (options.json) printJson(output, checks);
  else printChecklist(output, checks, `openclaw doctor (config: ${paths.configPath})`);
  return checks.some((item) => item.status === "error") ? 1 : 0;
}

import type {
  HealthResult,
  SessionRow,
  SessionsDeleteResult,
  SessionsListResult,
  StatusResult,
} from "@openclaw/protocol";
import { CliError } from "../cli-error.js";
import { cliCommand } from "../cli-invocation.js";
import { callGateway, type TargetOptions } from "../gateway-target.js";
import { formatAge, formatTable, type Output, printJson } from "../output.js";

export interface ReadOptions extends TargetOptions {
  json?: boolean;
}

function parseParams(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`--params must be JSON: ${(error as Error).message}`, 2);
  }
}

/** `openclaw gateway call <method>`: any method, params as JSON, payload printed as JSON. */
export async function runCall(method: string, options: ReadOptions & { params?: string }, output: Output) {
  const payload = await callGateway(options, method, parseParams(options.params));
  printJson(output, payload);
  return 0;
}

export async function runHealth(options: ReadOptions, output: Output) {
  const health = (await callGateway(options, "health")) as HealthResult;
  if (options.json) {
    printJson(output, health);
    return 0;
  }
  output.out(`gateway healthy · ${health.sessions.count} session(s) · answered in ${health.durationMs} ms`);
  return 0;
}

export async function runStatus(options: ReadOptions, output: Output) {
  const status = (await callGateway(options, "status")) as StatusResult;
  if (options.json) {
    printJson(output, status);
    return 0;
  }
  const rows: [string, string][] = [
    ["Version", `${status.version} (protocol ${status.protocol})`],
    ["Listening", `${status.bind.host}:${status.bind.port} (bind ${status.bind.mode})`],
    ["Auth", status.auth.mode],
    ["Uptime", `${Math.round(status.uptimeMs / 1000)}s`],
    ["Connections", String(status.connections)],
    ["Sessions", String(status.sessions.count)],
    ["Agents", `${status.agents.count} (default ${status.agents.defaultId})`],
    ["Channels", status.channels.length > 0 ? status.channels.join(", ") : "none"],
    ["Memory", `${Math.round(status.memory.rss / 1024 / 1024)} MB RSS`],
    ["Config", status.configPath],
  ];
  for (const [label, value] of rows) output.out(`${label.padEnd(12)} ${value}`);
  for (const warning of status.configWarnings) output.err(`warning: ${warning}`);
  return 0;
}

function sessionTable(rows: SessionRow[]): string {
  return formatTable(
    ["KEY", "KIND", "LABEL", "MESSAGES", "LAST ACTIVE"],
    rows.map((row) => [
      row.key,
      row.kind,
      row.label ?? "",
      String(row.messageCount),
      formatAge(row.lastActiveAt),
    ]),
  );
}

function requireKey(options: { key?: string }, command: string): string {
  if (!options.key) throw new CliError(`sessions ${command} needs --key <session key>`, 2);
  return options.key;
}

export async function runSessions(
  action: string,
  options: ReadOptions & { key?: string; limit?: string; maxLines?: string; deleteTranscript?: boolean },
  output: Output,
) {
  switch (action) {
    case "list": {
      const params = options.limit ? { limit: Number(options.limit) } : {};
      const result = (await callGateway(options, "sessions.list", params)) as SessionsListResult;
      if (options.json) printJson(output, result);
      else output.out(result.sessions.length === 0 ? "no sessions yet" : sessionTable(result.sessions));
      return 0;
    }
    case "preview": {
      const params = {
        keys: [requireKey(options, action)],
        ...(options.limit ? { limit: Number(options.limit) } : {}),
      };
      const result = (await callGateway(options, "sessions.preview", params)) as {
        previews: { key: string; status: string; items: { role: string; text: string }[] }[];
      };
      if (options.json) {
        printJson(output, result);
        return 0;
      }
      for (const preview of result.previews) {
        output.out(`${preview.key} (${preview.status})`);
        for (const item of preview.items) output.out(`  ${item.role}: ${item.text}`);
      }
      return 0;
    }
    case "reset":
    case "delete":
    case "compact": {
      const key = requireKey(options, action);
      const params: Record<string, unknown> = { key };
      if (action === "delete" && options.deleteTranscript) params.deleteTranscript = true;
      if (action === "compact" && options.maxLines) params.maxLines = Number(options.maxLines);
      const result = await callGateway(options, `sessions.${action}`, params);
      if (options.json) printJson(output, result);
      // OpenClaw's wire shape: deleting an unknown key is `{ ok: true, deleted: false }`, not an error.
      if (action === "delete" && (result as Partial<SessionsDeleteResult>).deleted === false) {
        throw new CliError(
          `no session "${key}" on this gateway: nothing was deleted. List the sessions with \`${cliCommand()} sessions list\``,
        );
      }
      if (!options.json) output.out(`sessions.${action}: done for ${key}`);
      return 0;
    }
    default:
      throw new CliError(
        `unknown sessions action "${action}": use list, preview, reset, delete, compact or export`,
        2,
      );
  }
}

import type { SessionsUsageResult, UsageCostResult } from "@openclaw/protocol";
import { CliError } from "../cli-error.js";
import { callGateway, type TargetOptions } from "../gateway-target.js";
import { type Output, printJson } from "../output.js";
import { unpricedNote, usageTable } from "./usage-format.js";

export const USAGE_GROUPS = ["day", "agent", "model", "channel"] as const;
type UsageGroup = (typeof USAGE_GROUPS)[number];

export interface UsageOptions extends TargetOptions {
  days?: string;
  from?: string;
  to?: string;
  agent?: string;
  allAgents?: boolean;
  by?: string;
  tz?: string;
  json?: boolean;
}

const DAY_MS = 86_400_000;
const MAX_DAYS = 3_660;

function usageError(message: string): CliError {
  return new CliError(message, 2);
}

function parseDays(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw usageError(`--days must be a whole number from 1 to ${MAX_DAYS}, got "${raw}"`);
  }
  return days;
}

function parseDate(raw: string, flag: string): string {
  const ms = Date.parse(`${raw}T00:00:00.000Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(raw) ||
    Number.isNaN(ms) ||
    new Date(ms).toISOString().slice(0, 10) !== raw
  ) {
    throw usageError(`${flag} must be a date as YYYY-MM-DD, got "${raw}"`);
  }
  return raw;
}

function today(timeZone: string | undefined): string {
  try {
    return new Intl.DateTimeFormat("en-CA", {
      timeZone: timeZone ?? "UTC",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    }).format(Date.now());
  } catch {
    throw usageError(`--tz must be an IANA time zone such as "Europe/Vienna", got "${timeZone}"`);
  }
}

function agentParams(options: UsageOptions): Record<string, unknown> {
  if (options.agent && options.allAgents) throw usageError("use --agent <id> or --all-agents, not both");
  if (options.allAgents) return { agentScope: "all" };
  return options.agent ? { agentId: options.agent } : {};
}

/** The range as explicit dates (OpenClaw's `sessions.usage` takes no `days`): --from/--to, else the last --days. */
export function usageRangeParams(options: UsageOptions): Record<string, unknown> {
  const zone = options.tz ? { mode: "specific", timeZone: options.tz } : {};
  const last = options.to ? parseDate(options.to, "--to") : today(options.tz);
  if (options.from !== undefined) {
    if (options.days !== undefined) throw usageError("use --days or --from/--to, not both");
    const first = parseDate(options.from, "--from");
    if (first > last) throw usageError(`--from ${first} is after --to ${last}`);
    return { startDate: first, endDate: last, ...zone };
  }
  const days = parseDays(options.days) ?? 7;
  const first = new Date(Date.parse(`${last}T00:00:00.000Z`) - (days - 1) * DAY_MS)
    .toISOString()
    .slice(0, 10);
  return { startDate: first, endDate: last, ...zone };
}

function parseGroups(raw: string | undefined): readonly UsageGroup[] {
  if (raw === undefined) return USAGE_GROUPS;
  if (!(USAGE_GROUPS as readonly string[]).includes(raw)) {
    throw usageError(`--by takes ${USAGE_GROUPS.join(", ")}, got "${raw}"`);
  }
  return [raw as UsageGroup];
}

function tableOf(group: UsageGroup, result: SessionsUsageResult): string {
  const { aggregates, totals } = result;
  switch (group) {
    case "day": {
      const turns = new Map(aggregates.daily.map((day) => [day.date, day.messages / 2]));
      return usageTable(
        "DAY",
        aggregates.costDaily.map(({ date, ...dayTotals }) => ({
          key: date,
          totals: dayTotals,
          turns: turns.get(date) ?? 0,
        })),
        totals,
      );
    }
    case "agent":
      return usageTable(
        "AGENT",
        aggregates.byAgent.map((agent) => ({ key: agent.agentId, totals: agent.totals })),
        totals,
      );
    case "model":
      return usageTable(
        "MODEL",
        aggregates.byModel.map((model) => ({
          key: `${model.provider ?? "unknown"}/${model.model ?? "unknown"}`,
          totals: model.totals,
          turns: model.count,
        })),
        totals,
      );
    case "channel":
      return usageTable(
        "CHANNEL",
        aggregates.byChannel.map((channel) => ({ key: channel.channel, totals: channel.totals })),
        totals,
      );
  }
}

/** `openclaw usage`: tokens and cost per day, agent, model and channel over a range, from `sessions.usage`. */
export async function runUsage(options: UsageOptions, output: Output): Promise<number> {
  const groups = parseGroups(options.by);
  const params = { ...usageRangeParams(options), ...agentParams(options), limit: 1 };
  const result = (await callGateway(options, "sessions.usage", params)) as SessionsUsageResult;
  if (options.json) {
    printJson(output, result);
    return 0;
  }
  const scope = options.allAgents ? "all agents" : `agent ${options.agent ?? "(default)"}`;
  output.out(
    `Usage ${result.startDate} .. ${result.endDate} · ${scope}${options.tz ? ` · days in ${options.tz}` : " · UTC days"}`,
  );
  if (result.note) output.err(`note: ${result.note}`);
  for (const group of groups) {
    output.out("");
    output.out(tableOf(group, result));
  }
  const unpriced = unpricedNote(result.totals);
  if (unpriced) output.out(`\nnote: ${unpriced}`);
  return 0;
}

/** `openclaw gateway usage-cost` (OpenClaw's command): tokens and cost per day from `usage.cost`. */
export async function runUsageCost(options: UsageOptions, output: Output): Promise<number> {
  const days = parseDays(options.days) ?? 30;
  const result = (await callGateway(options, "usage.cost", {
    days,
    ...agentParams(options),
  })) as UsageCostResult & { note?: string };
  if (options.json) {
    printJson(output, result);
    return 0;
  }
  output.out(`Usage cost · last ${result.days} day(s)`);
  if (result.note) output.err(`note: ${result.note}`);
  output.out(
    usageTable(
      "DAY",
      result.daily.map(({ date, ...totals }) => ({ key: date, totals })),
      result.totals,
    ),
  );
  const unpriced = unpricedNote(result.totals);
  if (unpriced) output.out(`\nnote: ${unpriced}`);
  return 0;
}

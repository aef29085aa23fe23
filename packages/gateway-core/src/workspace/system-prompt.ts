import { arch, hostname } from "node:os";
import type { OpenClawConfig } from "../config/config-schema.js";
import { listConfiguredAgents } from "../config/configured-agents.js";
import {
  type BootstrapContext,
  bootstrapFilesFor,
  DEFAULT_BOOTSTRAP_MAX_CHARS,
  DEFAULT_BOOTSTRAP_TOTAL_MAX_CHARS,
  loadBootstrapContext,
} from "./bootstrap-context.js";
import { BootstrapFileReader } from "./bootstrap-file-reader.js";
import { promptSessionKind } from "./prompt-session.js";
import { formatSkillsCatalog, type PromptSkill } from "./skills-prompt.js";

export interface PromptTool {
  name: string;
  description: string;
}

export interface PromptRuntimeInfo {
  /** The run's start (the date shown); default now. */
  now?: Date;
  /** IANA zone; default `agents.defaults.userTimezone`, else the host's. */
  timeZone?: string;
  model?: string;
}

export interface SystemPromptInput {
  config: OpenClawConfig;
  agentId: string;
  sessionKey: string;
  /** MEMORY.md is loaded only when true; derived from the session key (main or direct session) when omitted. */
  isMainSession?: boolean;
  workspaceDir: string;
  /** The tools this run offers (after policy), in the order the model gets them. */
  tools: readonly PromptTool[];
  /** Eligible skills; listed only when the `read` tool is offered, since reading SKILL.md is how they are used. */
  skills: readonly PromptSkill[];
  runtime?: PromptRuntimeInfo;
}

const MAX_TOOL_SUMMARY_CHARS = 160;
/** One reader per process: its cache makes repeated runs cost a few `lstat` calls. */
const sharedReader = new BootstrapFileReader();

function configuredSystemPrompt(config: OpenClawConfig, agentId: string): string | undefined {
  const entry = listConfiguredAgents(config).find((candidate) => candidate.id === agentId);
  const own = entry?.systemPrompt ?? config.agents.defaults.systemPrompt;
  return typeof own === "string" && own.trim() !== "" ? own.trim() : undefined;
}

function toolSummary(description: string): string {
  const firstLine = description.trim().split("\n")[0] ?? "";
  return firstLine.length <= MAX_TOOL_SUMMARY_CHARS
    ? firstLine
    : `${firstLine.slice(0, MAX_TOOL_SUMMARY_CHARS - 3).trimEnd()}...`;
}

function toolingSection(tools: readonly PromptTool[]): string[] {
  if (tools.length === 0)
    return ["## Tooling", "No tools are available in this run: answer from what you know.", ""];
  return [
    "## Tooling",
    "These are the only tools of this run; names are case-sensitive, call them exactly as listed:",
    ...tools.map((tool) => `- ${tool.name}: ${toolSummary(tool.description)}`),
    "TOOLS.md holds notes on using them here; it never adds or removes a tool.",
    "",
  ];
}

const SAFETY_SECTION = [
  "## Safety",
  "Pursue no goals of your own beyond the user's request: no gaining access, money or influence, no copying yourself, no avoiding oversight.",
  "When finishing a task and staying safe conflict, stop and ask. Follow requests to stop or pause.",
  "Do not change your own instructions, safety rules or tool settings unless the user explicitly asks.",
  "",
];

function skillsSection(skills: readonly PromptSkill[], tools: readonly PromptTool[]): string[] {
  if (skills.length === 0 || !tools.some((tool) => tool.name === "read")) return [];
  return [
    "## Skills",
    "Check <available_skills> before you answer. When one clearly fits the task, `read` the SKILL.md at its <location> and follow it.",
    "Several fit: take the most specific. None fits: read none. Read at most one up front, and never guess a path.",
    formatSkillsCatalog(skills),
    "",
  ];
}

/** What a file is for, said once so the model weighs it right (only for the files present). */
const FILE_ROLES: Record<string, string> = {
  "SOUL.md": "your persona and tone; follow it unless higher-priority instructions say otherwise.",
  "USER.md": "durable facts and preferences of your user.",
  "MEMORY.md": "durable facts and decisions from earlier sessions; use them when relevant.",
};

function projectContext(bootstrap: BootstrapContext): string[] {
  if (bootstrap.files.length === 0) return [];
  const lines = ["# Project Context", ""];
  const roles = bootstrap.files.filter((file) => FILE_ROLES[file.name] !== undefined);
  if (roles.length > 0) {
    lines.push(
      "Loaded workspace files:",
      ...roles.map((file) => `${file.name}: ${FILE_ROLES[file.name]}`),
      "",
    );
  }
  for (const file of bootstrap.files) lines.push(`## ${file.path}`, "", file.content, "");
  return lines;
}

function bootstrapNotice(bootstrap: BootstrapContext): string[] {
  if (bootstrap.truncated.length === 0 && bootstrap.omitted.length === 0) return [];
  const parts: string[] = [];
  if (bootstrap.truncated.length > 0) parts.push(`cut to fit: ${bootstrap.truncated.join(", ")}`);
  if (bootstrap.omitted.length > 0) parts.push(`left out for lack of room: ${bootstrap.omitted.join(", ")}`);
  return [
    "## Bootstrap Context Notice",
    `Some workspace files did not fit in this prompt (${parts.join("; ")}). Read them from the workspace when you need all of them.`,
    "",
  ];
}

function validTimeZone(zone: string | undefined): string | undefined {
  if (!zone) return undefined;
  try {
    formattersFor(zone);
    return zone;
  } catch {
    return undefined;
  }
}

let hostTimeZone: string | undefined;

function hostTimeZoneName(): string {
  hostTimeZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone;
  return hostTimeZone;
}

/** Intl formatters are slow to build (a large share of a run's preparation), so one pair is kept per time zone. */
const dateFormatters = new Map<string, { date: Intl.DateTimeFormat; weekday: Intl.DateTimeFormat }>();

function formattersFor(zone: string): { date: Intl.DateTimeFormat; weekday: Intl.DateTimeFormat } {
  let formatters = dateFormatters.get(zone);
  if (!formatters) {
    formatters = {
      date: new Intl.DateTimeFormat("en-CA", {
        timeZone: zone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
      }),
      weekday: new Intl.DateTimeFormat("en-US", { timeZone: zone, weekday: "long" }),
    };
    if (dateFormatters.size >= 32) dateFormatters.clear();
    dateFormatters.set(zone, formatters);
  }
  return formatters;
}

function temporalSection(now: Date, zone: string, tools: readonly PromptTool[]): string[] {
  const { date, weekday } = formattersFor(zone);
  const exact = tools.some((tool) => tool.name === "session_status")
    ? " For the exact time, call session_status."
    : "";
  return [
    "## Current Date & Time",
    `Today is ${weekday.format(now)}, ${date.format(now)} (time zone ${zone}).${exact}`,
    "",
  ];
}

/** Renders the prompt from loaded parts; pure, so its section order is easy to test. */
export function renderSystemPrompt(o: {
  agentId: string;
  sessionKey: string;
  basePrompt?: string;
  workspaceDir: string;
  tools: readonly PromptTool[];
  skills: readonly PromptSkill[];
  bootstrap: BootstrapContext;
  now: Date;
  timeZone: string;
  model?: string;
}): string {
  const runtime = [
    `agent=${o.agentId}`,
    `session=${o.sessionKey}`,
    `host=${hostname()}`,
    `os=${process.platform} (${arch()})`,
    `node=${process.version}`,
    ...(o.model ? [`model=${o.model}`] : []),
  ];
  const lines = [
    "You are a personal assistant running inside an OpenClaw gateway.",
    "",
    ...(o.basePrompt ? [o.basePrompt, ""] : []),
    ...toolingSection(o.tools),
    ...SAFETY_SECTION,
    ...skillsSection(o.skills, o.tools),
    "## Workspace",
    `Your working directory is ${o.workspaceDir}; relative paths in file tools start there.`,
    "",
    "## Workspace Files (injected)",
    "The files below come from the workspace and are loaded for every run; you and your user may edit them.",
    "",
    ...bootstrapNotice(o.bootstrap),
    ...projectContext(o.bootstrap),
    ...temporalSection(o.now, o.timeZone, o.tools),
    "## Runtime",
    `Runtime: ${runtime.join(" | ")}`,
  ];
  return lines.join("\n");
}

/**
 * The system prompt of one run, in OpenClaw's section order: identity and the configured `systemPrompt`, tools,
 * safety, skills, the workspace, its bootstrap files (each capped, with a visible note when cut; MEMORY.md only
 * in the main or a direct session), the date, the runtime.
 */
export async function buildSystemPrompt(
  input: SystemPromptInput,
  reader: BootstrapFileReader = sharedReader,
): Promise<string> {
  const { config } = input;
  const kind = promptSessionKind(input.sessionKey, { mainKey: config.session.mainKey });
  const includeMemory = input.isMainSession ?? kind === "private";
  const defaults = config.agents.defaults;
  const bootstrap = await loadBootstrapContext({
    workspaceDir: input.workspaceDir,
    names: bootstrapFilesFor(kind, includeMemory),
    limits: {
      maxChars: defaults.bootstrapMaxChars ?? DEFAULT_BOOTSTRAP_MAX_CHARS,
      totalMaxChars: defaults.bootstrapTotalMaxChars ?? DEFAULT_BOOTSTRAP_TOTAL_MAX_CHARS,
    },
    reader,
  });
  const basePrompt = configuredSystemPrompt(config, input.agentId);
  const timeZone =
    validTimeZone(input.runtime?.timeZone) ?? validTimeZone(defaults.userTimezone) ?? hostTimeZoneName();
  return renderSystemPrompt({
    agentId: input.agentId,
    sessionKey: input.sessionKey,
    ...(basePrompt ? { basePrompt } : {}),
    workspaceDir: input.workspaceDir,
    tools: input.tools,
    skills: input.skills,
    bootstrap,
    now: input.runtime?.now ?? new Date(),
    timeZone,
    ...(input.runtime?.model ? { model: input.runtime.model } : {}),
  });
}

/**
 * Keys OpenClaw's own config accepts that this gateway does not act on yet. They are kept as written; the warning
 * says "not implemented" for these and "check the spelling" for anything else unknown, which is usually a typo.
 */
const OPENCLAW_TOP_LEVEL_SECTIONS = new Set([
  "accessGroups",
  "acp",
  "approvals",
  "audit",
  "auth",
  "bindings",
  "bridge",
  "broadcast",
  "browser",
  "canvas",
  "cloudWorkers",
  "commands",
  "desktop",
  "diagnostics",
  "discovery",
  "env",
  "identity",
  "mcp",
  "media",
  "memory",
  "messages",
  "multiAgent",
  "nodeHost",
  "presentation",
  "sandbox",
  "secrets",
  "talk",
  "telemetry",
  "tts",
  "ui",
  "update",
  "web",
  "wizard",
  "worktreeRoot",
]);

const OPENCLAW_NESTED_KEYS = new Set([
  "gateway.publicOrigin",
  "gateway.roles",
  "gateway.cliAgents",
  "gateway.terminal",
  "gateway.remote",
  "gateway.allowRealIpFallback",
  "gateway.nodes",
  "gateway.push",
  "gateway.auth.trustedProxy",
  "gateway.auth.allowTailscale",
  "gateway.auth.identityScopes",
  "gateway.tailscale.preserveFunnel",
  "gateway.controlUi.experimental",
  "gateway.controlUi.environment",
  "gateway.controlUi.communityInvite",
  "gateway.controlUi.root",
  "gateway.controlUi.github",
  "gateway.controlUi.embedSandbox",
  "gateway.controlUi.allowExternalEmbedUrls",
  "gateway.controlUi.automaticallyFetchFavicons",
  "gateway.http.securityHeaders",
  "gateway.http.endpoints.responses.maxUrlParts",
  "gateway.http.endpoints.responses.files",
  "gateway.http.endpoints.responses.images",
  "agents.ownership",
  "session.identityLinks",
  "session.reset",
  "session.resetByType",
  "session.resetByChannel",
  "session.resetTriggers",
  "session.store",
  "session.maintenance",
  "session.threadBindings",
  "session.sharing",
  "session.sendPolicy",
  "session.notifyOnCreate",
  "logging.consoleLevel",
  "logging.consoleStyle",
  "logging.redactPatterns",
  "cron.store",
  "cron.maxConcurrentRuns",
  "cron.webhook",
  "cron.webhookToken",
  "cron.webhookSsrfPolicy",
  "cron.triggers",
  "cron.sessionRetention",
  "cron.failureAlert",
  "cron.failureDestination",
  "tools.media",
  "tools.web.fetch.cacheTtlMinutes",
  "tools.web.fetch.useTrustedEnvProxy",
  "tools.web.fetch.provider",
  "tools.web.search.cacheTtlMinutes",
  "tools.links",
  "tools.message",
  "tools.elevated",
  "tools.sandbox",
  "tools.subagents",
  "tools.exec.security",
  "tools.exec.ask",
  "tools.exec.host",
  "tools.exec.node",
  "tools.exec.pathPrepend",
  "tools.exec.safeBins",
  "tools.exec.notifyOnExit",
  "tools.exec.applyPatch",
]);

/** Root keys that carry bookkeeping, not settings, and are kept without comment. */
const SILENT_ROOT_KEYS = new Set(["meta"]);

/** The warning for a key the schema does not model, or `undefined` when it deserves none. */
export function describeUnmodelledKey(path: string): string | undefined {
  const isRoot = !path.includes(".");
  if (isRoot && SILENT_ROOT_KEYS.has(path)) return undefined;
  if (path === "$include") {
    return "`$include` is not supported by this gateway yet: the included files are not read; kept as is";
  }
  if (isRoot ? OPENCLAW_TOP_LEVEL_SECTIONS.has(path) : OPENCLAW_NESTED_KEYS.has(path)) {
    return `\`${path}\` is not implemented by this gateway yet; kept as is`;
  }
  return `\`${path}\` is not a setting this gateway knows; kept as is (check the spelling)`;
}

/**
 * Whole sections of OpenClaw's config (2026.9 and older releases) that this gateway has no feature for. Each value
 * says what happens instead; the report prints it after "not supported by this gateway:".
 */
export const UNSUPPORTED_SECTIONS: Readonly<Record<string, string>> = {
  $include: "the included files are not read; only this file's own keys apply",
  accessGroups: "no access groups; each channel's allowFrom / groupAllowFrom lists decide alone",
  acp: "no ACP harness; every agent runs in the built-in runtime",
  approvals: "approval requests are not forwarded to chats; operators answer them over the WebSocket API",
  attachments: "staged media follows tools.media's own limits; no shared retention policy",
  audit: "no audit history is kept beyond the gateway log",
  bridge: "the legacy bridge is not served; clients connect over the gateway WebSocket",
  broadcast: "one agent answers each conversation (bindings decide which)",
  canvas:
    "not read: the canvas host is set by plugins.entries.canvas.config.host.enabled and canvasHost.{enabled,root,liveReload}",
  "canvasHost.port":
    "no separate canvas port: the canvas is served on the gateway port, as in OpenClaw 2026.9",
  cloudWorkers: "no cloud workers; tools run on the gateway host",
  desktop: "no paired desktop nodes",
  discovery: "no mDNS or wide-area advertisement; clients need the gateway's URL",
  env: "the variables are not imported; set them in the environment that starts the gateway",
  identity: "use agents.entries.<id>.identity (or agents.list[].identity) instead",
  mcp: "no MCP servers are started; agents use the built-in tools only",
  memory: "built-in memory settings are not read; use agents.defaults.memorySearch",
  multiAgent: "agents and bindings are read from agents.* and bindings",
  nodeHost: "this gateway exposes no host capabilities to other nodes",
  presentation: "replies use each channel's default formatting",
  proxy:
    "no managed egress proxy; outbound requests use the host's network (and HTTPS_PROXY if the platform library honours it)",
  sandbox: "tools run on the gateway host without a sandbox",
  security: "no extra security policy layer; the tool policy and channel allowlists apply",
  surfaces: "every delivery surface uses the same reply policy",
  talk: "no Talk mode; the Control UI chats by text",
  telemetry: "no feature statistics are sent",
  transcripts: "no meeting transcript capture",
  tts: "replies are never read aloud",
  ui: "the Control UI uses its default look",
  update: "no update checks; upgrade the package yourself",
  web: "no separate web provider; channels come from channels.* and their plugins",
  wizard: "no setup wizard state; `openclaw onboard` writes the config directly",
  worktreeAcceleration: "no managed worktrees",
  worktreeRoot: "no managed worktrees",
};

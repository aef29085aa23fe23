import { statfs } from "node:fs/promises";
import { arch, cpus, freemem, hostname, loadavg, platform, release, totalmem, type } from "node:os";
import { GatewayError } from "@openclaw/protocol";
import { PROCESS_INSTANCE_ID } from "../diagnostics/process-identity.js";
import type { MethodHandlers, RequestContext } from "../runtime/method-registry.js";
import { listAgents } from "./agents-methods.js";

/**
 * Features of OpenClaw this gateway does not have answer with OpenClaw's own empty shapes (no boards, questions,
 * tasks, suggestions, mentions, plugin approvals, plugin UI or update channel), so its Control UI shows empty
 * panels instead of errors. The canvas plugin surface answers a capability URL of the canvas host, or UNAVAILABLE
 * while the host is off, as OpenClaw does.
 */
/**
 * The origin a capability URL is built on: the one the client saw its previous capability URL under (it knows how it
 * reaches the gateway), else the address the gateway listens on.
 */
function surfaceOrigin(runtime: RequestContext["runtime"], observedUrl: string | undefined): string {
  if (observedUrl !== undefined && URL.canParse(observedUrl)) {
    const observed = new URL(observedUrl);
    if (observed.protocol === "http:" || observed.protocol === "https:") return observed.origin;
  }
  const { bind } = runtime;
  const scheme = runtime.configState.config.gateway.tls?.enabled === true ? "https" : "http";
  const host = bind.host.includes(":") ? `[${bind.host}]` : bind.host;
  return `${scheme}://${host}:${bind.port}`;
}

export const controlUiCompatWorkspaceMethods: Pick<
  MethodHandlers,
  | "board.get"
  | "projects.list"
  | "question.list"
  | "tasks.list"
  | "taskSuggestions.list"
  | "mentions.list"
  | "plugin.approval.list"
  | "openclaw.approval.list"
  | "plugin.surface.refresh"
  | "plugins.list"
  | "plugins.controlUi.list"
  | "update.status"
  | "system.info"
  | "talk.catalog"
> = {
  "board.get": ({ sessionKey }) => ({ sessionKey: sessionKey ?? "", revision: 0, tabs: [], widgets: [] }),
  // Each agent's workspace is its one project, as OpenClaw lists a workspace it did not register.
  "projects.list": (_params, { runtime }) => ({
    projects: listAgents(runtime).flatMap((agent) =>
      agent.workspace === undefined
        ? []
        : [
            {
              id: `workspace:${agent.id}`,
              displayName: agent.workspace.split(/[\\/]/).pop() || agent.id,
              repoRoot: agent.workspace,
              source: "workspace" as const,
              agentId: agent.id,
            },
          ],
    ),
    recents: [],
  }),
  "question.list": () => ({ questions: [] }),
  "tasks.list": () => ({ tasks: [] }),
  "taskSuggestions.list": () => ({ suggestions: [] }),
  "mentions.list": () => ({ gatewayInstanceId: PROCESS_INSTANCE_ID, revision: 0, items: [] }),
  // Plugin and OpenClaw approvals do not exist here; shell approvals are served by exec.approval.list.
  "plugin.approval.list": () => [],
  "openclaw.approval.list": () => [],
  // The canvas host's capability URL, as OpenClaw's Control UI asks for it before it frames a canvas page.
  "plugin.surface.refresh": ({ surface, observedUrl }, { runtime }) => {
    if (surface !== "canvas" || !runtime.canvasHost.settings().enabled) {
      throw new GatewayError(
        "UNAVAILABLE",
        surface === "canvas"
          ? "canvas plugin surface unavailable: the canvas host is off (plugins.entries.canvas.config.host.enabled)"
          : `${surface} plugin surface unavailable: this gateway hosts only the canvas surface`,
        { details: { surface } },
      );
    }
    const { url, expiresAtMs } = runtime.canvasHost.surfaceUrl(surfaceOrigin(runtime, observedUrl));
    return { surface, pluginSurfaceUrls: { canvas: url }, expiresAtMs };
  },
  "plugins.list": (_params, { runtime }) => ({
    plugins: runtime.plugins.channelIds().map((id) => {
      const meta = runtime.plugins.channelMeta(id);
      return {
        id,
        name: meta.label,
        ...(meta.description === undefined ? {} : { description: meta.description }),
        kind: ["channel"],
        installed: true as const,
        enabled: true as const,
        state: "enabled" as const,
      };
    }),
    diagnostics: [],
    mutationAllowed: false as const,
  }),
  "plugins.controlUi.list": () => ({ revision: "none", plugins: [], diagnostics: [] }),
  // Updates come from the package manager here (npm, pnpm): there is no update channel to report on.
  "update.status": () => ({
    sentinel: null,
    updateAvailable: null,
    effectiveChannel: "stable" as const,
    schedule: { channel: "stable" as const, autoEnabled: false as const },
  }),
  "system.info": async (_params, { runtime }) => {
    const stateDir = runtime.configState.paths.stateDir;
    const disk = await statfs(stateDir).catch(() => undefined);
    const cpuList = cpus();
    const name = hostname();
    return {
      machineName: name,
      hostname: name,
      platform: platform(),
      release: release(),
      arch: arch(),
      osLabel: `${type() === "Linux" ? "Linux" : type()} ${release()}`,
      port: runtime.bind.port,
      nodeVersion: process.version,
      pid: process.pid,
      processInstanceId: PROCESS_INSTANCE_ID,
      uptimeMs: Math.max(0, Math.round(Date.now() - runtime.startedAt)),
      cpuCount: cpuList.length,
      ...(cpuList[0]?.model ? { cpuModel: cpuList[0].model } : {}),
      loadAverage: loadavg(),
      memoryTotalBytes: totalmem(),
      memoryFreeBytes: freemem(),
      ...(disk
        ? {
            diskTotalBytes: disk.blocks * disk.bsize,
            diskAvailableBytes: disk.bavail * disk.bsize,
            diskPath: stateDir,
          }
        : {}),
    };
  },
  // Talk (voice) is not a feature of this gateway.
  "talk.catalog": () => ({
    modes: [],
    transports: [],
    brains: [],
    speech: { ready: false as const, providers: [] },
    transcription: { ready: false as const, providers: [] },
    realtime: { ready: false as const, providers: [] },
  }),
};

import { CanvasCapabilities } from "./canvas-capabilities.js";
import type { CanvasHostSettings } from "./canvas-host-settings.js";
import { CanvasLiveReload, type LiveReloadLogger } from "./canvas-live-reload.js";
import { CAPABILITY_PATH_PREFIX } from "./canvas-paths.js";

/** The canvas host of one gateway: its settings (read from the live config), live reload and capability URLs. */
export interface CanvasHost {
  settings(): CanvasHostSettings;
  readonly liveReload: CanvasLiveReload;
  readonly capabilities: CanvasCapabilities;
  /**
   * A capability-scoped base URL for a client that reached the gateway at `origin` (OpenClaw's
   * `pluginSurfaceUrls.canvas`): `<origin>/__openclaw__/cap/<capability>`, valid until `expiresAtMs`.
   */
  surfaceUrl(origin: string): { url: string; expiresAtMs: number };
  /** Ends the live-reload streams and the folder watcher (before the HTTP server closes). */
  close(): void;
}

export function createCanvasHost(deps: {
  settings: () => CanvasHostSettings;
  logger: LiveReloadLogger;
  now?: () => number;
}): CanvasHost {
  const liveReload = new CanvasLiveReload(deps.logger);
  const capabilities = new CanvasCapabilities(deps.now);
  return {
    settings: deps.settings,
    liveReload,
    capabilities,
    surfaceUrl(origin) {
      const { capability, expiresAtMs } = capabilities.mint();
      return { url: `${origin.replace(/\/+$/, "")}${CAPABILITY_PATH_PREFIX}/${capability}`, expiresAtMs };
    },
    close: () => liveReload.close(),
  };
}

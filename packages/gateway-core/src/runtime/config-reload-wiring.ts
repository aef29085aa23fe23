import type { ChannelManager, PluginRegistry } from "../channels/index.js";
import type { OpenClawConfig } from "../config/index.js";
import type { CronService } from "../cron/index.js";
import type { HeartbeatService } from "../heartbeat/index.js";
import type { Logger } from "../logging/logger.js";
import {
  type ConfigReloadPlan,
  describeConfigReloadPlan,
  planConfigReload,
  watchConfigFile,
} from "../reload/index.js";
import type { GatewayConfigState } from "./config-state.js";
import type { GatewayLogging } from "./gateway-logging.js";

export interface ConfigReloadWiring {
  /** Stops watching; a reload already planned finishes, later ones are skipped. */
  close(): void;
}

/**
 * Edits to the config file (by hand, `openclaw config set`, or config.set) are planned path by path: settings read
 * on use are simply swapped in, hot ones re-applied here, and the rest need a restart.
 */
export function wireConfigReload(o: {
  configState: GatewayConfigState;
  logging: GatewayLogging;
  cron: CronService;
  heartbeat?: HeartbeatService;
  channels: ChannelManager;
  plugins: PluginRegistry;
  logger: Logger;
  onRestartRequired?: (plan: ConfigReloadPlan) => void;
}): ConfigReloadWiring {
  const { logger } = o;
  let stopped = false;
  let reloads: Promise<void> = Promise.resolve();

  const applyHot = async (plan: ConfigReloadPlan, next: OpenClawConfig) => {
    if (plan.subsystems.logging) await o.logging.apply(next.logging);
    if (plan.subsystems.cron) o.cron.settingsChanged();
    // Heartbeat settings live under agents.*: re-read them on every applied change (cheap, keeps the cadence).
    o.heartbeat?.reload();
    for (const channel of plan.channelsToRestart) {
      if (!o.plugins.channelIds().includes(channel)) continue;
      try {
        await o.channels.applyConfigChange(channel);
      } catch (error) {
        logger.error("channel restart after a config change failed", {
          channel,
          error: (error as Error).message,
        });
      }
    }
  };

  const onConfigChange = (next: OpenClawConfig, previous: OpenClawConfig) => {
    const plan = planConfigReload(previous, next, next.gateway.reload.mode);
    if (plan.changedPaths.length === 0) return;
    reloads = reloads.then(async () => {
      if (stopped) return;
      logger.info("config reloaded", { plan: describeConfigReloadPlan(plan) });
      if (plan.action === "hot") await applyHot(plan, next);
      // Plugins are loaded once at start; a changed plugins section is read again only by a restart.
      if (plan.subsystems.plugins && plan.action !== "restart") {
        logger.warn(
          "plugins.* changed: restart the gateway (`openclaw gateway restart`) to load the new plugin set",
        );
      }
      if (plan.action === "restart" && o.onRestartRequired) {
        o.onRestartRequired(plan);
      } else if (plan.restartRequired || plan.action === "restart") {
        logger.warn("some config changes apply after a restart: run `openclaw gateway restart`", {
          paths: plan.restartPaths,
        });
      }
    });
  };
  const unsubscribe = o.configState.onChange(onConfigChange);
  const watcher = watchConfigFile(
    o.configState.paths.configPath,
    () => o.configState.refresh().then(() => undefined),
    {
      onError: (error) =>
        logger.warn("cannot watch the config file; edits apply on the next connection instead", {
          error: error.message,
        }),
    },
  );
  return {
    close() {
      stopped = true;
      unsubscribe();
      watcher.close();
    },
  };
}

export {
  type ConfigChangeKind,
  type ConfigReloadMode,
  type ConfigReloadPlan,
  type ConfigReloadSubsystems,
  classifyConfigPath,
  describeConfigReloadPlan,
  planConfigReload,
} from "./config-reload-plan.js";
export {
  type ConfigFileWatcher,
  ConfigWatchError,
  type WatchConfigFileOptions,
  watchConfigFile,
} from "./watch-config-file.js";

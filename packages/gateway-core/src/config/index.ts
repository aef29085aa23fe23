export { ConfigError, type ConfigErrorCode, type ConfigIssue } from "./config-error.js";
export { buildConfigJsonSchema, CONFIG_SCHEMA_VERSION, type ConfigUiHint } from "./config-json-schema.js";
export { applyConfigMergePatch } from "./config-merge-patch.js";
export {
  getConfigValue,
  parseConfigPath,
  parseConfigValueLiteral,
  setConfigValue,
  unsetConfigValue,
} from "./config-path.js";
export { CONFIG_FILE_NAME, type ConfigPaths, resolveConfigPaths } from "./config-paths.js";
export { isSecretKey, REDACTED_SECRET, redactConfig, restoreRedactedSecrets } from "./config-redaction.js";
export {
  type AgentConfigEntry,
  DEFAULT_GATEWAY_PORT,
  DEFAULT_RESPONSES_MAX_BODY_BYTES,
  type OpenClawConfig,
  OpenClawConfigSchema,
} from "./config-schema.js";
export { summarizeConfigForLog } from "./config-summary.js";
export { listConfiguredAgents } from "./configured-agents.js";
export {
  ensureGatewayToken,
  generateGatewayToken,
  type ResolvedGatewayCredential,
  resolveGatewayCredential,
  resolveGatewayPort,
} from "./gateway-credential.js";
export { type LoadedConfig, loadConfig } from "./load-config.js";
export { NOT_SUPPORTED, type UnmodelledKeyReport } from "./openclaw-known-keys.js";
export {
  defaultConfig,
  describeConfigIssues,
  hashConfigText,
  parseConfigText,
  validateConfigText,
} from "./parse-config-text.js";
export {
  DEFAULT_STORAGE_DRIVER,
  FILE_STORAGE_DRIVER,
  type StorageConfig,
  StorageConfigSchema,
} from "./storage-config-schema.js";
export { writeConfigFile } from "./write-config-file.js";

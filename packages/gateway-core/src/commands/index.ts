export { type CommandAccess, resolveCommandAccess } from "./command-authorization.js";
export { ChatCommandRegistry } from "./command-registry.js";
export type {
  ChatCommand,
  CommandInvocation,
  CommandOutcome,
  CommandResult,
  CommandServices,
} from "./command-services.js";
export { type ParsedCommand, parseCommandText } from "./command-text.js";
export { type CommandsConfig, CommandsConfigSchema, nativeCommandsEnabled } from "./commands-config.js";
export { ChatCommands, type ChatCommandsOptions } from "./inbound-chat-commands.js";
export { normalizeThinkingLevel, THINKING_LEVELS, type ThinkingLevel } from "./model-commands.js";

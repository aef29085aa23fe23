import type { MethodHandlers } from "../runtime/method-registry.js";
import { agentsFilesMethods } from "./agents-files-methods.js";
import { agentsMethods } from "./agents-methods.js";
import { approvalMethods } from "./approval-methods.js";
import { channelMethods } from "./channel-methods.js";
import { withTypedCommands } from "./chat-command-methods.js";
import { chatMethods } from "./chat-methods.js";
import { cliCompatMethods } from "./cli-compat-methods.js";
import { configMethods } from "./config-methods.js";
import { controlUiCompatMethods } from "./control-ui-compat-methods.js";
import { cronMethods } from "./cron-methods.js";
import { deviceMethods } from "./device-methods.js";
import { miscCompatMethods } from "./misc-compat-methods.js";
import { nodeMethods } from "./node-methods.js";
import { nodeRuntimeMethods } from "./node-runtime-methods.js";
import { sessionsCompatMethods } from "./sessions-compat-methods.js";
import { sessionsMethods } from "./sessions-methods.js";
import { skillsMethods } from "./skills-methods.js";
import { systemMethods } from "./system-methods.js";
import { toolsMethods } from "./tools-methods.js";
import { webLoginMethods } from "./web-login-methods.js";

export function createCoreMethodHandlers(): MethodHandlers {
  return {
    ...systemMethods,
    ...configMethods,
    ...sessionsMethods,
    ...agentsMethods,
    ...agentsFilesMethods,
    ...chatMethods,
    "chat.send": withTypedCommands(chatMethods["chat.send"]),
    ...channelMethods,
    ...skillsMethods,
    ...toolsMethods,
    ...cronMethods,
    ...approvalMethods,
    ...nodeMethods,
    ...deviceMethods,
    ...nodeRuntimeMethods,
    ...webLoginMethods,
    ...controlUiCompatMethods,
    ...cliCompatMethods,
    ...sessionsCompatMethods,
    ...miscCompatMethods,
  };
}

export {
  DEFAULT_HOOK_BODY_TIMEOUT_MS,
  DEFAULT_HOOK_MAX_BODY_BYTES,
  DEFAULT_HOOKS_PATH,
  type HooksConfig,
  HooksConfigSchema,
  normalizeHooksPath,
} from "../config/hooks-config-schema.js";
export type { HookCompletion, HookDelivery } from "./hook-completion.js";
export { HookError, type HookErrorCode } from "./hook-error.js";
export {
  createHookHandler,
  type HookAgentRoster,
  type HookChat,
  type HookHandler,
  type HookHandlerDeps,
} from "./hook-handler.js";

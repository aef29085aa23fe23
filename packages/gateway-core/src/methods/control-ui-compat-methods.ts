import type { CONTROL_UI_COMPAT_CONTRACTS } from "@openclaw/protocol";
import type { MethodHandlers } from "../runtime/method-registry.js";
import { controlUiCompatChatMethods } from "./control-ui-compat-chat.js";
import { controlUiCompatSessionCreateMethods } from "./control-ui-compat-session-create.js";
import { controlUiCompatSessionsMethods } from "./control-ui-compat-sessions.js";
import { controlUiCompatWorkspaceMethods } from "./control-ui-compat-workspace.js";

/** Handlers for the methods OpenClaw's Control UI calls beyond the core families (see `CONTROL_UI_COMPAT_CONTRACTS`). */
export const controlUiCompatMethods: Pick<MethodHandlers, keyof typeof CONTROL_UI_COMPAT_CONTRACTS> = {
  ...controlUiCompatChatMethods,
  ...controlUiCompatSessionsMethods,
  ...controlUiCompatSessionCreateMethods,
  ...controlUiCompatWorkspaceMethods,
};

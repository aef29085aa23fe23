export {
  type BrowserControl,
  type BrowserControlOptions,
  type BrowserRequest,
  type BrowserResponse,
  CAPTURE_MAX_BYTES,
  createBrowserControl,
  SNAPSHOT_DEFAULT_MAX_CHARS,
  SNAPSHOT_MAX_CHARS,
} from "./browser-control.js";
export { BrowserError, type BrowserErrorCode } from "./browser-error.js";
export { type BrowserRequestParams, BrowserRequestParamsSchema } from "./browser-request-params.js";
export { type BrowserSettings, BrowserSettingsSchema, DEFAULT_PROFILE } from "./browser-settings.js";
export {
  BROWSER_TOOL_ACTIONS,
  type BrowserToolArgs,
  BrowserToolArgsSchema,
  createBrowserTool,
} from "./browser-tool.js";
export { CHROMIUM_NAMES, findChromium } from "./find-chromium.js";

export { ToolError, type ToolErrorCode } from "./tool-error.js";

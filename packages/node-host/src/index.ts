export { type CommandContext, type CommandHandler, NodeCommandError } from "./command-table.js";
export type { Notification } from "./commands/system-notify.js";
export type { SystemRunResult } from "./commands/system-run.js";
export { type DeviceKey, loadOrCreateDeviceKey } from "./device-key.js";
export { type NodeHost, type NodeHostOptions, startNodeHost } from "./node-host.js";

import type { ZodType } from "zod";
import type { Logger } from "../logging/logger.js";

/** What a plugin's method handler sees of the request: who asked, from where, and a logger. Never the runtime. */
export interface PluginMethodContext {
  connId: string;
  scopes: readonly string[];
  clientAddress: string;
  logger: Logger;
}

/** A gateway method a plugin adds: its own scope and params schema, outside the core contract. */
export interface PluginMethod {
  scope: string;
  params?: ZodType;
  handler: (params: unknown, context: PluginMethodContext) => Promise<unknown> | unknown;
}

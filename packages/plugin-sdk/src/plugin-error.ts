export type PluginErrorCode =
  | "PLUGIN_API_VERSION"
  | "PLUGIN_INVALID"
  | "PLUGIN_CONFIG_INVALID"
  /** A gateway method (or an event it emits) breaks the `GatewayMethodV1` contract. */
  | "PLUGIN_METHOD_INVALID";

export interface PluginIssue {
  /** Dotted path inside the plugin object or its config, `(root)` for the value itself. */
  path: string;
  message: string;
}

/** A plugin the gateway cannot load or configure. The message says what to change; `issues` lists every problem. */
export class PluginError extends Error {
  override readonly name = "PluginError";
  readonly code: PluginErrorCode;
  readonly pluginId: string | undefined;
  readonly issues: PluginIssue[];

  constructor(
    code: PluginErrorCode,
    message: string,
    options: { pluginId?: string; issues?: PluginIssue[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.pluginId = options.pluginId;
    this.issues = options.issues ?? [];
  }
}

/** One problem found in a config: the dot path of the offending value (`""` for the whole file) and what is wrong. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/**
 * Stable codes of {@link ConfigError}:
 * - `CONFIG_INVALID`: the text parsed but a value is wrong (see `issues`).
 * - `CONFIG_PARSE`: the text is not JSON5.
 * - `CONFIG_CONFLICT`: the file changed under a writer, or two settings contradict each other in a way only the
 *   operator can resolve.
 * - `CONFIG_IO`: a file could not be read or written.
 */
export type ConfigErrorCode = "CONFIG_INVALID" | "CONFIG_PARSE" | "CONFIG_CONFLICT" | "CONFIG_IO";

/** Every failure of the config layer. `message` names the path and the fix; `issues` lists each problem. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code: ConfigErrorCode;
  readonly issues: ConfigIssue[];
  /** The config file concerned, when there is one. */
  readonly filePath: string | undefined;

  constructor(
    code: ConfigErrorCode,
    message: string,
    options: { issues?: ConfigIssue[]; filePath?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.issues = options.issues ?? [];
    this.filePath = options.filePath;
  }
}

/** Renders a value the operator wrote, short enough for one line of an error message. */
export function previewValue(value: unknown): string {
  if (value === undefined) return "nothing";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

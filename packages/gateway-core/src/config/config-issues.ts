import type { z } from "zod";
import { type ConfigIssue, previewValue } from "./config-error.js";
import { isSecretKey } from "./config-redaction.js";

function listChoices(values: readonly unknown[]): string {
  const quoted = values.map((value) => JSON.stringify(value));
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`;
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  object: "an object",
  array: "an array",
};

/**
 * Words for zod's issues, used for every field that does not carry its own message: plain language, no zod jargon,
 * so the operator reads what to write rather than how the validator works.
 */
export const configErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case "invalid_value":
      return `expected ${listChoices(issue.values)}`;
    case "too_small":
      if (issue.origin === "array") return `expected at least ${issue.minimum} item(s)`;
      if (issue.origin === "string")
        return issue.minimum === 1 ? "must not be empty" : `expected at least ${issue.minimum} characters`;
      return `expected a number of at least ${issue.minimum}`;
    case "too_big":
      if (issue.origin === "array") return `expected at most ${issue.maximum} item(s)`;
      if (issue.origin === "string") return `expected at most ${issue.maximum} characters`;
      return `expected a number of at most ${issue.maximum}`;
    case "invalid_format":
      return `expected a valid ${issue.format}`;
    default:
      return undefined;
  }
};

/** Dot path as OpenClaw prints it in `issues[].path` (array positions as plain numbers). */
export function joinIssuePath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

/**
 * Converts zod issues (parsed with `reportInput`) to config issues whose message ends with what was written, except
 * under a secret key, where only the kind of value is named so an error message never carries a credential.
 */
export function toConfigIssues(issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
  return issues.map((issue) => {
    const path = joinIssuePath(issue.path);
    const input: unknown = "input" in issue ? issue.input : undefined;
    const showsInput =
      input !== undefined && issue.code !== "custom" && (typeof input !== "object" || input === null);
    if (!showsInput) return { path, message: issue.message };
    const last = issue.path.at(-1);
    const shown = typeof last === "string" && isSecretKey(last) ? `a ${typeof input}` : previewValue(input);
    if (issue.message.includes(shown)) return { path, message: issue.message };
    return { path, message: `${issue.message} (got ${shown})` };
  });
}

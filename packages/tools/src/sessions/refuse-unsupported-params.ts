import { ToolError } from "../tool-error.js";

/**
 * OpenClaw parameters this gateway does not implement. Each would change what the call does, so instead of being
 * dropped silently it is refused with the reason and what to do. A parameter set to its "off" value (false, null,
 * "", an empty array) asks for nothing and passes.
 */
export function refuseUnsupportedParams(
  tool: string,
  args: unknown,
  unsupported: Readonly<Record<string, string>>,
): void {
  if (args === null || typeof args !== "object") return;
  for (const [name, reason] of Object.entries(unsupported)) {
    const value = (args as Record<string, unknown>)[name];
    if (isOff(value)) continue;
    throw new ToolError("INVALID_ARGUMENTS", `${tool}: "${name}" is not supported here: ${reason}`);
  }
}

function isOff(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === "") return true;
  return Array.isArray(value) && value.length === 0;
}

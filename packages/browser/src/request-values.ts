import { BrowserError } from "./browser-error.js";

/** Values of a control request's query and body, checked where they cross in: strings trimmed and bounded. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

export function requiredString(value: unknown, name: string): string {
  const text = optionalString(value);
  if (text === undefined) throw new BrowserError("INVALID_REQUEST", `${name} is required`);
  if (text.length > 8192) throw new BrowserError("INVALID_REQUEST", `${name} is longer than 8192 characters`);
  return text;
}

export function positiveNumber(value: unknown): number | undefined {
  const number = typeof value === "string" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) && number > 0 ? Math.floor(number) : undefined;
}

/** Agent ids and profile names become folder names: anything but [a-z0-9_-] is replaced. */
export function safeSegment(value: string): string {
  return (
    value
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, "_")
      .slice(0, 64) || "_"
  );
}

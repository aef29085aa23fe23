/**
 * The config document being edited: the file's own JSON object (not the parsed config with its defaults), so that
 * keys the wizard never asks about are written back exactly as they were.
 */
export class ConfigDraft {
  readonly document: Record<string, unknown>;
  readonly original: Record<string, unknown>;
  /** Secrets the user has not seen yet (a generated token): printed once, after the file is written. */
  readonly revealAfterWrite: { label: string; value: string }[] = [];

  constructor(document: Record<string, unknown>) {
    this.original = structuredClone(document);
    this.document = structuredClone(document);
  }

  get(path: string): unknown {
    let node: unknown = this.document;
    for (const key of path.split(".")) {
      if (!isObject(node)) return undefined;
      node = node[key];
    }
    return node;
  }

  getString(path: string): string | undefined {
    const value = this.get(path);
    return typeof value === "string" ? value : undefined;
  }

  set(path: string, value: unknown): void {
    const keys = path.split(".");
    const last = keys.pop() as string;
    let node = this.document;
    for (const key of keys) {
      const next = node[key];
      if (!isObject(next)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[last] = value;
  }

  delete(path: string): void {
    const keys = path.split(".");
    const last = keys.pop() as string;
    const parent = keys.length === 0 ? this.document : this.get(keys.join("."));
    if (isObject(parent)) delete parent[last];
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

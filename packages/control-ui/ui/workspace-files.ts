import { GatewayError } from "@openclaw/client";

/** The fields of an `agents.files.*` file entry the Workspace screen uses (OpenClaw's shape). */
export interface WorkspaceFileLike {
  name: string;
  missing: boolean;
  expectedAbsent?: boolean;
  size?: number;
  updatedAtMs?: number;
  /** sha256 of the content, when the gateway sends it; the screen hashes the content itself otherwise. */
  hash?: string;
  content?: string;
}

/** What saving a workspace file needs (OpenClaw's scope for `agents.files.set`); reading needs `operator.read`. */
export const WORKSPACE_WRITE_SCOPE = "operator.admin";

/** `1536` -> `1.5 KB`. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The one-line state beside a file's name in the list. */
export function fileStateLabel(file: WorkspaceFileLike): string {
  if (file.missing) return file.expectedAbsent ? "not created (optional)" : "missing";
  return file.size === undefined ? "present" : formatFileSize(file.size);
}

/** True when `agents.files.set` refused because the file changed since the editor read it. */
export function isFileConflict(error: unknown): boolean {
  if (!(error instanceof GatewayError)) return false;
  return error.detailCode === "AGENT_FILE_CONFLICT" || error.details?.type === "agent_file_conflict";
}

/**
 * sha256 (hex) of `content` as UTF-8, to send as `expectedHash`, or undefined where the browser offers no
 * WebCrypto (a page over plain http from another host): the save then goes without the conflict check.
 */
export async function contentHash(content: string): Promise<string | undefined> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle === undefined) return undefined;
  const digest = await subtle.digest("SHA-256", new TextEncoder().encode(content));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

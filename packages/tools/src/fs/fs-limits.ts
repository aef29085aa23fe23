/** Lines one `read` call returns at most; the result says how to continue. */
export const READ_MAX_LINES = 2000;
/** UTF-8 bytes of text one `read` call returns at most. */
export const READ_MAX_BYTES = 50 * 1024;
/** Text files larger than this are not loaded by read, edit or apply_patch. */
export const TEXT_FILE_MAX_BYTES = 10 * 1024 * 1024;
/** Content one `write` call (or one apply_patch input) may carry. */
export const WRITE_MAX_BYTES = 5 * 1024 * 1024;
/** Replacements one `edit` call may carry. */
export const EDITS_MAX = 100;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

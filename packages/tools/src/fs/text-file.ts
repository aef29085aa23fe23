import { readFile, stat } from "node:fs/promises";
import { sniffMediaType } from "../media/image-sniff.js";
import { ToolError } from "../tool-error.js";
import { formatBytes, TEXT_FILE_MAX_BYTES } from "./fs-limits.js";
import { isMissing } from "./workspace-path.js";

/** How a text file was stored, so an edit writes it back the same way (BOM, CRLF). */
export interface TextFileForm {
  bom: boolean;
  eol: "\n" | "\r\n";
}

export const PLAIN_TEXT_FORM: TextFileForm = { bom: false, eol: "\n" };

const BINARY_SNIFF_BYTES = 8000;

/** A NUL byte in the first few KB is how git and grep tell binary from text; text encodings other than UTF-16 never hold one. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

/** Decodes UTF-8 to text with `\n` line ends; `form` remembers the BOM and CRLF. */
export function decodeText(bytes: Uint8Array): { text: string; form: TextFileForm } {
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  const bom = text.startsWith("\uFEFF");
  if (bom) text = text.slice(1);
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  if (eol === "\r\n") text = text.replaceAll("\r\n", "\n");
  return { text, form: { bom, eol } };
}

export function encodeText(text: string, form: TextFileForm): string {
  const body = form.eol === "\r\n" ? text.replaceAll("\n", "\r\n") : text;
  return form.bom ? `\uFEFF${body}` : body;
}

export function normalizeLineEnds(text: string): string {
  return text.replaceAll("\r\n", "\n");
}

export interface LoadedTextFile {
  text: string;
  form: TextFileForm;
  bytes: Buffer;
}

/**
 * Loads an existing regular text file for editing. `shownPath` is the path as the model wrote it, for messages;
 * `hint` tells it what to do when the file is missing.
 */
export async function loadTextFile(
  absolutePath: string,
  shownPath: string,
  hint: string,
): Promise<LoadedTextFile> {
  let size: number;
  try {
    const info = await stat(absolutePath);
    if (info.isDirectory())
      throw new ToolError("INVALID_ARGUMENTS", `${shownPath} is a directory, not a file`);
    if (!info.isFile()) throw new ToolError("UNSUPPORTED_CONTENT", `${shownPath} is not a regular file`);
    size = info.size;
  } catch (error) {
    if (isMissing(error)) throw new ToolError("NOT_FOUND", `File not found: ${shownPath}. ${hint}`);
    throw error;
  }
  if (size > TEXT_FILE_MAX_BYTES) {
    throw new ToolError(
      "TOO_LARGE",
      `${shownPath} is ${formatBytes(size)}; text files over ${formatBytes(TEXT_FILE_MAX_BYTES)} are not loaded. Use exec (sed, grep) for files this large.`,
    );
  }
  return textFromBytes(await readFile(absolutePath), shownPath);
}

/** The text of a file's bytes; a binary file is refused with its sniffed type. */
export async function textFromBytes(bytes: Buffer, shownPath: string): Promise<LoadedTextFile> {
  if (looksBinary(bytes)) {
    const type = await sniffMediaType(bytes);
    throw new ToolError(
      "UNSUPPORTED_CONTENT",
      `${shownPath} is a binary file${type ? ` (${type})` : ""}, ${formatBytes(bytes.length)}; the file tools handle text, and read also png, jpeg, gif and webp images`,
    );
  }
  return { ...decodeText(bytes), bytes };
}

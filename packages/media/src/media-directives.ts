/** The longest reference other than a data: URL; OpenClaw's limit too. */
const MAX_REFERENCE_LENGTH = 4096;
/** A data: URL carries the file itself: allow up to ~30 MB of base64. */
const MAX_DATA_URL_LENGTH = 40 * 1024 * 1024;

const DIRECTIVE = /^ {0,3}MEDIA:(.*)$/i;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const INDENTED_CODE = /^(?: {4}|\t)/;

/**
 * Splits OpenClaw's legacy `MEDIA:` lines out of an agent's reply: a line that starts with `MEDIA:` (up to three
 * spaces in) names one or more files, by https URL, data: URL, file:// URL or path; a double-quoted reference may
 * contain spaces. Lines inside fenced or indented code, and `MEDIA:` that is not at the start of a line, stay text.
 * The references come back in the order written; a line with no valid reference stays text.
 */
export function parseMediaDirectives(text: string): { text: string; media: string[] } {
  if (!/media:/i.test(text)) return { text, media: [] };
  const media: string[] = [];
  const kept: string[] = [];
  let fence: string | undefined;
  for (const line of text.split("\n")) {
    const fenceMatch = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (fenceMatch?.startsWith(fence)) fence = undefined;
      kept.push(line);
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch;
      kept.push(line);
      continue;
    }
    const payload = INDENTED_CODE.test(line) ? undefined : DIRECTIVE.exec(line.replace(/\r$/, ""))?.[1];
    const references = payload === undefined ? [] : referencesOf(payload);
    if (references.length === 0) {
      kept.push(line);
      continue;
    }
    media.push(...references);
  }
  if (media.length === 0) return { text, media };
  return {
    text: kept
      .join("\n")
      .replace(/^(?:[ \t]*\r?\n)+/, "")
      .trimEnd(),
    media,
  };
}

function referencesOf(payload: string): string[] {
  const trimmed = payload.trim();
  const quoted = /^(["'`])(.+)\1$/.exec(trimmed)?.[2]?.trim();
  if (quoted !== undefined) return isValidReference(quoted) ? [quoted] : [];
  return splitUnquoted(trimmed).map(cleanToken).filter(isValidReference);
}

const PATH_ROOT = /^(?:\/|~\/|\.{1,2}\/|[a-z]:[\\/])/i;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const FILE_EXTENSION = /\.\w{1,10}$/;

/**
 * Splits an unquoted payload at whitespace, except inside a local path with spaces: a word joins the path before it
 * unless it starts a source of its own, or the path already ends in an extension and the word is a valid reference.
 */
function splitUnquoted(payload: string): string[] {
  const parts: string[] = [];
  let previousEnd = 0;
  for (const match of payload.matchAll(/\S+/g)) {
    const word = cleanToken(match[0]);
    const previous = parts.at(-1);
    const previousWord = previous === undefined ? "" : cleanToken(previous);
    const continuesPath =
      PATH_ROOT.test(previousWord) &&
      !PATH_ROOT.test(word) &&
      !SCHEME.test(word) &&
      (!FILE_EXTENSION.test(previousWord) || !isValidReference(word));
    if (previous !== undefined && continuesPath) {
      parts[parts.length - 1] = previous + payload.slice(previousEnd, match.index) + match[0];
    } else {
      parts.push(match[0]);
    }
    previousEnd = match.index + match[0].length;
  }
  return parts;
}

/** Quotes, brackets and a trailing comma around a reference are punctuation, not part of it. */
function cleanToken(token: string): string {
  return token.replace(/^[`"'[({<]+/, "").replace(/[`"'\])}>,;]+$/, "");
}

function isValidReference(reference: string): boolean {
  if (reference === "") return false;
  if (/^data:/i.test(reference)) {
    return reference.length <= MAX_DATA_URL_LENGTH && /^data:[a-z]+\/[a-z0-9.+-]+[^,]*,./is.test(reference);
  }
  if (reference.length > MAX_REFERENCE_LENGTH) return false;
  if (/^https?:\/\//i.test(reference)) return isPublicHttps(reference);
  if (/^file:/i.test(reference)) return !hasTraversal(reference);
  // Any other scheme (javascript:, ftp:, ...) is not media.
  if (/^[a-z][a-z0-9+.-]*:/i.test(reference) && !/^[a-z]:[\\/]/i.test(reference)) return false;
  if (
    /\s/.test(reference) &&
    !reference.startsWith("/") &&
    !reference.startsWith("./") &&
    !reference.startsWith("~/")
  ) {
    return false;
  }
  if (hasTraversal(reference) || (reference.startsWith("~") && !reference.startsWith("~/"))) return false;
  return reference.includes("/") || reference.includes("\\") || /\.\w{1,10}$/.test(reference);
}

function hasTraversal(reference: string): boolean {
  return /(?:^|[/\\])\.\.(?:[/\\]|$)/.test(reference);
}

/** OpenClaw takes only https from a reply; the fetch that loads it applies its own network guard on top. */
function isPublicHttps(reference: string): boolean {
  try {
    const url = new URL(reference);
    return url.protocol === "https:" && url.username === "" && url.password === "";
  } catch {
    return false;
  }
}

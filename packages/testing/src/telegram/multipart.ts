/** One part of a multipart/form-data body. */
export interface MultipartPart {
  name: string;
  /** Present for file parts. */
  fileName?: string;
  contentType?: string;
  data: Buffer;
}

/**
 * Splits a multipart/form-data body. Hand-rolled rather than `Response.formData()` because grammY writes headers in
 * lowercase and `filename=` unquoted (as the Bot API accepts), which stricter parsers refuse.
 */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (marker === undefined) return [];
  const delimiter = Buffer.from(`--${marker}`);
  const parts: MultipartPart[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const afterDelimiter = start + delimiter.length;
    // "--" after the delimiter closes the body.
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, afterDelimiter);
    if (next === -1) break;
    // Each part sits between "<delimiter>\r\n" and "\r\n<next delimiter>".
    const part = body.subarray(afterDelimiter + 2, next - 2);
    const parsed = parsePart(part);
    if (parsed) parts.push(parsed);
    start = next;
  }
  return parts;
}

function parsePart(part: Buffer): MultipartPart | undefined {
  const headerEnd = part.indexOf("\r\n\r\n");
  if (headerEnd === -1) return undefined;
  const headers = new Map<string, string>();
  for (const line of part.subarray(0, headerEnd).toString("utf8").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const disposition = headers.get("content-disposition") ?? "";
  const name = dispositionParam(disposition, "name");
  if (name === undefined) return undefined;
  const fileName = dispositionParam(disposition, "filename");
  const contentType = headers.get("content-type");
  return {
    name,
    ...(fileName === undefined ? {} : { fileName }),
    ...(contentType === undefined ? {} : { contentType }),
    data: part.subarray(headerEnd + 4),
  };
}

function dispositionParam(disposition: string, key: string): string | undefined {
  const match = new RegExp(`(?:^|;)\\s*${key}=(?:"([^"]*)"|([^;]*))`, "i").exec(disposition);
  if (!match) return undefined;
  return (match[1] ?? match[2] ?? "").trim();
}

import { SkillError } from "./skill-error.js";

export type TarEntry = { path: string; type: "file" | "directory"; data: Buffer; mode: number };

const BLOCK = 512;

/**
 * Reads the regular files and directories of an uncompressed tar (ustar, with pax and GNU long names, which is
 * what `npm pack` writes). Links, devices and FIFOs are skipped: a skill is text and scripts, nothing more.
 */
export function readTarEntries(archive: Buffer, limits = { maxEntries: 10_000 }): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    verifyChecksum(header);
    const size = readOctal(header, 124, 12);
    const typeFlag = String.fromCharCode(header[156] ?? 0);
    const dataStart = offset + BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > archive.length) {
      throw new SkillError(
        "SKILL_ARCHIVE_INVALID",
        "the package tarball is truncated: re-create it with `npm pack`",
      );
    }
    const data = archive.subarray(dataStart, dataEnd);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    if (typeFlag === "L") {
      longName = readString(data, 0, data.length);
      continue;
    }
    if (typeFlag === "x") {
      paxPath = readPaxPath(data) ?? paxPath;
      continue;
    }
    if (typeFlag === "g") continue;

    const prefix = readString(header, 345, 155);
    const name = readString(header, 0, 100);
    const entryPath = paxPath ?? longName ?? (prefix === "" ? name : `${prefix}/${name}`);
    paxPath = undefined;
    longName = undefined;
    const mode = readOctal(header, 100, 8);
    if (typeFlag === "0" || typeFlag === "\0" || typeFlag === "7") {
      entries.push({ path: entryPath, type: "file", data: Buffer.from(data), mode });
    } else if (typeFlag === "5") {
      entries.push({ path: entryPath, type: "directory", data: Buffer.alloc(0), mode });
    }
    if (entries.length > limits.maxEntries) {
      throw new SkillError("SKILL_ARCHIVE_INVALID", `the package has more than ${limits.maxEntries} files`);
    }
  }
  return entries;
}

function verifyChecksum(header: Buffer): void {
  const expected = readOctal(header, 148, 8);
  let sum = 0;
  for (let index = 0; index < BLOCK; index++) {
    sum += index >= 148 && index < 156 ? 0x20 : (header[index] ?? 0);
  }
  if (sum !== expected) {
    throw new SkillError(
      "SKILL_ARCHIVE_INVALID",
      "the package is not a valid tar archive (header checksum mismatch)",
    );
  }
}

function readPaxPath(data: Buffer): string | undefined {
  // Records are "<byte length> <key>=<value>\n"; lengths count bytes, so walk the buffer, not the string.
  let found: string | undefined;
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space < 0) break;
    const length = Number.parseInt(data.subarray(offset, space).toString("ascii"), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const body = data
      .subarray(space + 1, offset + length)
      .toString("utf8")
      .replace(/\n$/, "");
    const equals = body.indexOf("=");
    if (body.slice(0, equals) === "path") found = body.slice(equals + 1);
    offset += length;
  }
  return found;
}

function readString(buffer: Buffer, start: number, length: number): string {
  const slice = buffer.subarray(start, start + length);
  const end = slice.indexOf(0);
  return slice.subarray(0, end < 0 ? slice.length : end).toString("utf8");
}

function readOctal(buffer: Buffer, start: number, length: number): number {
  const text = readString(buffer, start, length).trim();
  if (text === "") return 0;
  const value = Number.parseInt(text, 8);
  if (!Number.isFinite(value)) {
    throw new SkillError(
      "SKILL_ARCHIVE_INVALID",
      "the package is not a valid tar archive (bad numeric field)",
    );
  }
  return value;
}

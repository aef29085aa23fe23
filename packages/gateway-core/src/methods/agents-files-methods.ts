import { createHash } from "node:crypto";
import { constants, type Stats } from "node:fs";
import { lstat, mkdir, open } from "node:fs/promises";
import { join } from "node:path";
import { type AgentsFileEntry, ErrorDetailCodes, GatewayError } from "@openclaw/protocol";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";
import type { MethodHandlers } from "../runtime/method-registry.js";
import { writeFileAtomic } from "../state/atomic-file.js";
import { MAX_BOOTSTRAP_FILE_BYTES } from "../workspace/bootstrap-file-reader.js";
import { BOOTSTRAP_FILE_NAMES, isBootstrapFileName, isExpectedAbsent } from "../workspace/workspace-files.js";
import { listAgents } from "./agents-methods.js";

/** Saves of one file run one at a time, so an `expectedHash` check and its write cannot interleave with another. */
const pendingWrites = new Map<string, Promise<unknown>>();

function oneAtATime<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = pendingWrites.get(key) ?? Promise.resolve();
  const run = previous.then(task, task);
  const settled = run.catch(() => undefined);
  pendingWrites.set(key, settled);
  void settled.then(() => {
    if (pendingWrites.get(key) === settled) pendingWrites.delete(key);
  });
  return run;
}

function sha256(content: string | Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

function agentWorkspace(runtime: GatewayRuntime, agentId: string): string {
  const agent = listAgents(runtime).find((candidate) => candidate.id === agentId);
  if (!agent?.workspace) {
    throw new GatewayError("INVALID_REQUEST", `agent "${agentId}" not found: see agents.list`, {
      details: { code: ErrorDetailCodes.AGENT_NOT_FOUND, agentId },
    });
  }
  return agent.workspace;
}

function checkedName(name: string): string {
  if (isBootstrapFileName(name)) return name;
  throw new GatewayError(
    "INVALID_REQUEST",
    `unsupported file "${name.slice(0, 100)}": agents.files.* reads and writes only ${BOOTSTRAP_FILE_NAMES.join(", ")}`,
    { details: { code: "AGENT_FILE_UNSUPPORTED", name: name.slice(0, 100) } },
  );
}

function unsafeFile(name: string): GatewayError {
  return new GatewayError(
    "INVALID_REQUEST",
    `unsafe workspace file "${name}": it is a link, a folder or has several names; replace it with a plain file`,
    { details: { code: "AGENT_FILE_UNSAFE", name } },
  );
}

/** Only a plain file with one name is read or replaced: a link could lead out of the workspace. */
function isPlainFile(info: Stats): boolean {
  return info.isFile() && !info.isSymbolicLink() && info.nlink <= 1;
}

function missingEntry(name: string, path: string): AgentsFileEntry {
  return { name, path, missing: true, expectedAbsent: isExpectedAbsent(name) };
}

function presentEntry(name: string, path: string, info: Stats): AgentsFileEntry {
  return { name, path, missing: false, size: info.size, updatedAtMs: Math.floor(info.mtimeMs) };
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Reads a plain file without following a link at its name (O_NOFOLLOW), so a swapped-in link is refused too. */
async function readPlainFile(
  name: string,
  path: string,
): Promise<{ info: Stats; content: Buffer } | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "ELOOP") throw unsafeFile(name);
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!isPlainFile(info)) throw unsafeFile(name);
    if (info.size > MAX_BOOTSTRAP_FILE_BYTES) {
      throw new GatewayError(
        "INVALID_REQUEST",
        `"${name}" is larger than ${MAX_BOOTSTRAP_FILE_BYTES} bytes: shorten it in an editor on the gateway host`,
        { details: { code: "AGENT_FILE_TOO_LARGE", name } },
      );
    }
    return { info, content: await handle.readFile() };
  } finally {
    await handle.close();
  }
}

/** Temp file, fsync, rename: a crash leaves the old file or the new one, never half of each. */
async function writeAndStat(path: string, content: string): Promise<Stats> {
  await writeFileAtomic(path, content);
  return lstat(path);
}

export const agentsFilesMethods: Pick<
  MethodHandlers,
  "agents.files.list" | "agents.files.get" | "agents.files.set"
> = {
  "agents.files.list": async ({ agentId }, { runtime }) => {
    const workspace = agentWorkspace(runtime, agentId);
    const files = await Promise.all(
      BOOTSTRAP_FILE_NAMES.map(async (name) => {
        const path = join(workspace, name);
        const info = await lstatOrUndefined(path);
        return info && isPlainFile(info) ? presentEntry(name, path, info) : missingEntry(name, path);
      }),
    );
    return { agentId, workspace, files };
  },
  "agents.files.get": async ({ agentId, name }, { runtime }) => {
    const fileName = checkedName(name);
    const workspace = agentWorkspace(runtime, agentId);
    const path = join(workspace, fileName);
    const read = await readPlainFile(fileName, path);
    if (!read) return { agentId, workspace, file: missingEntry(fileName, path) };
    const file = { ...presentEntry(fileName, path, read.info), content: read.content.toString("utf8") };
    return { agentId, workspace, file };
  },
  "agents.files.set": async ({ agentId, name, content, expectedHash }, { runtime }) => {
    const fileName = checkedName(name);
    const workspace = agentWorkspace(runtime, agentId);
    const path = join(workspace, fileName);
    await mkdir(workspace, { recursive: true, mode: 0o700 });
    const info = await oneAtATime(path, async () => {
      const existing = await lstatOrUndefined(path);
      if (existing && !isPlainFile(existing)) throw unsafeFile(fileName);
      if (expectedHash !== undefined) {
        const current = await readPlainFile(fileName, path);
        const currentHash = current ? sha256(current.content) : undefined;
        if (currentHash === expectedHash.toLowerCase()) return writeAndStat(path, content);
        throw new GatewayError("INVALID_REQUEST", `agent file "${fileName}" changed since it was read`, {
          details: {
            code: "AGENT_FILE_CONFLICT",
            type: "agent_file_conflict",
            name: fileName,
            ...(currentHash ? { currentHash } : {}),
          },
        });
      }
      return writeAndStat(path, content);
    });
    runtime.logger.info("agent workspace file saved", { agentId, name: fileName, size: info.size });
    return {
      ok: true as const,
      agentId,
      workspace,
      file: { ...presentEntry(fileName, path, info), content },
    };
  },
};

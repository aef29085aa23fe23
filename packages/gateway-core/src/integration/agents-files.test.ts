import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LIMITS } from "@openclaw/protocol";
import { describe, expect, it } from "vitest";
import { callChecked, useIntegrationEnv } from "./harness.js";

const env = useIntegrationEnv();

describe("agents.files over WebSocket", () => {
  it("lists the bootstrap files, creates the workspace on set, reads back what was written", async () => {
    const stateDir = await env.makeStateDir();
    const workspace = join(stateDir, "my-workspace");
    // skipBootstrap: the gateway creates the folder but no templates, so the test sees only what it writes.
    const gateway = await env.start({
      stateDir,
      config: { agents: { defaults: { workspace, skipBootstrap: true } } },
    });
    const { client } = await env.connect(gateway);

    const before = await callChecked(client, "agents.files.list", { agentId: "main" });
    expect(before.workspace).toBe(workspace);
    expect(before.files.map((file) => file.name)).toEqual([
      "AGENTS.md",
      "SOUL.md",
      "TOOLS.md",
      "IDENTITY.md",
      "USER.md",
      "HEARTBEAT.md",
      "BOOTSTRAP.md",
      "MEMORY.md",
    ]);
    expect(before.files.every((file) => file.missing)).toBe(true);
    expect(before.files.find((file) => file.name === "AGENTS.md")?.expectedAbsent).toBe(false);
    expect(before.files.find((file) => file.name === "MEMORY.md")?.expectedAbsent).toBe(true);

    const saved = await callChecked(client, "agents.files.set", {
      agentId: "main",
      name: "SOUL.md",
      content: "Be calm.\n",
    });
    expect(saved.file).toMatchObject({
      name: "SOUL.md",
      path: join(workspace, "SOUL.md"),
      missing: false,
      size: 9,
    });
    expect(await readFile(join(workspace, "SOUL.md"), "utf8")).toBe("Be calm.\n");
    expect((await stat(workspace)).mode & 0o777).toBe(0o700);
    // Atomic write: no temp file is left next to it.
    expect(await readdir(workspace)).toEqual(["SOUL.md"]);

    const got = await callChecked(client, "agents.files.get", { agentId: "main", name: "SOUL.md" });
    expect(got.file).toMatchObject({ missing: false, content: "Be calm.\n", size: 9 });
    const missing = await callChecked(client, "agents.files.get", { agentId: "main", name: "USER.md" });
    expect(missing.file).toEqual({
      name: "USER.md",
      path: join(workspace, "USER.md"),
      missing: true,
      expectedAbsent: true,
    });
    const after = await callChecked(client, "agents.files.list", { agentId: "main" });
    expect(after.files.find((file) => file.name === "SOUL.md")).toMatchObject({ missing: false, size: 9 });
  });

  it("refuses names outside the bootstrap list, links, oversize content, unknown agents and stale hashes", async () => {
    const gateway = await env.start({ config: { agents: { defaults: { skipBootstrap: true } } } });
    const { client } = await env.connect(gateway);
    const workspace = join(gateway.stateDir, "workspace");

    for (const name of ["../x", "../openclaw.json", "/etc/passwd", "memory/today.md", "agents.md"]) {
      const refused = await client.callError("agents.files.set", { agentId: "main", name, content: "x" });
      expect(refused.code, name).toBe("INVALID_REQUEST");
      expect(refused.details?.code, name).toBe("AGENT_FILE_UNSUPPORTED");
      expect(refused.message).toContain("AGENTS.md, SOUL.md");
      const notRead = await client.callError("agents.files.get", { agentId: "main", name });
      expect(notRead.details?.code, name).toBe("AGENT_FILE_UNSUPPORTED");
    }
    expect(await readdir(gateway.stateDir)).not.toContain("x");

    const oversize = await client.callError("agents.files.set", {
      agentId: "main",
      name: "MEMORY.md",
      content: "m".repeat(LIMITS.messageChars + 1),
    });
    expect(oversize.code).toBe("INVALID_REQUEST");
    expect(oversize.details?.code).toBe("INVALID_PARAMS");

    const unknown = await client.callError("agents.files.list", { agentId: "nobody" });
    expect(unknown.details?.code).toBe("AGENT_NOT_FOUND");

    await mkdir(workspace, { recursive: true });
    await writeFile(join(gateway.stateDir, "outside.md"), "host file");
    await symlink(join(gateway.stateDir, "outside.md"), join(workspace, "USER.md"));
    const linkRead = await client.callError("agents.files.get", { agentId: "main", name: "USER.md" });
    expect(linkRead.details?.code).toBe("AGENT_FILE_UNSAFE");
    const linkWrite = await client.callError("agents.files.set", {
      agentId: "main",
      name: "USER.md",
      content: "x",
    });
    expect(linkWrite.details?.code).toBe("AGENT_FILE_UNSAFE");
    expect(await readFile(join(gateway.stateDir, "outside.md"), "utf8")).toBe("host file");

    await client.call("agents.files.set", { agentId: "main", name: "AGENTS.md", content: "v1" });
    const v1Hash = createHash("sha256").update("v1").digest("hex");
    await client.call("agents.files.set", {
      agentId: "main",
      name: "AGENTS.md",
      content: "v2",
      expectedHash: v1Hash,
    });
    const stale = await client.callError("agents.files.set", {
      agentId: "main",
      name: "AGENTS.md",
      content: "v3",
      expectedHash: v1Hash,
    });
    expect(stale.details).toMatchObject({
      code: "AGENT_FILE_CONFLICT",
      currentHash: createHash("sha256").update("v2").digest("hex"),
    });
    expect(await readFile(join(workspace, "AGENTS.md"), "utf8")).toBe("v2");
  });

  it("needs operator.admin to write and operator.read to read", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway, { scopes: ["operator.read"] });
    await callChecked(client, "agents.files.list", { agentId: "main" });
    const refused = await client.callError("agents.files.set", {
      agentId: "main",
      name: "SOUL.md",
      content: "x",
    });
    expect(refused.details?.code).toBe("MISSING_SCOPE");
  });
});

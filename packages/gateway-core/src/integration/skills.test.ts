import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { callChecked, useIntegrationEnv } from "./harness.js";

const env = useIntegrationEnv();

async function writeSkill(dir: string, name: string, requires: Record<string, unknown>): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, "SKILL.md"),
    `---\nname: ${name}\ndescription: A test skill\nmetadata: ${JSON.stringify({ openclaw: { requires } })}\n---\n\nUse it.\n`,
  );
}

describe("skills over WebSocket", () => {
  it("reports workspace skills with their eligibility, and installs one from a local folder", async () => {
    const gateway = await env.start();
    const { client } = await env.connect(gateway);
    const workspace = join(gateway.stateDir, "workspace");
    await writeSkill(join(workspace, "skills", "ready"), "ready", { bins: ["node"] });
    await writeSkill(join(workspace, "skills", "blocked"), "blocked", { env: ["OPENCLAW_TEST_UNSET_VAR"] });

    const status = await callChecked(client, "skills.status", {});
    const byName = new Map(status.skills.map((skill) => [skill.name, skill]));
    expect(byName.get("ready")).toMatchObject({ eligible: true });
    expect(byName.get("blocked")).toMatchObject({
      eligible: false,
      missing: { env: ["OPENCLAW_TEST_UNSET_VAR"] },
    });

    const source = await mkdtemp(join(tmpdir(), "openclaw-skill-src-"));
    env.defer(() => rm(source, { recursive: true, force: true }));
    await writeSkill(source, "fresh", {});
    const installed = await client.call("skills.install", { source: "local", path: source });
    expect(installed).toMatchObject({ ok: true, name: "fresh" });
    const after = await callChecked(client, "skills.status", {});
    expect(after.skills.map((skill) => skill.name)).toContain("fresh");

    const refused = await client.callError("skills.install", {
      source: "local",
      path: join(source, "missing"),
    });
    expect(refused.code).toBe("INVALID_REQUEST");
  });
});

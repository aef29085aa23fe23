import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GatewayClient } from "@openclaw/client";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { type RecordedPage, type UiGateway, useUiHarness } from "./ui-test-env.js";

const { open } = useUiHarness();

/** The main agent's workspace folder, as the gateway reports it, with SOUL.md holding `soul`. */
async function workspaceWithSoul(gw: UiGateway, soul: string): Promise<string> {
  const client = new GatewayClient({ url: gw.server.url, token: gw.token });
  try {
    await client.connect();
    const { workspace } = await client.request("agents.files.list", { agentId: "main" });
    await mkdir(workspace, { recursive: true });
    await writeFile(join(workspace, "SOUL.md"), soul, "utf8");
    return workspace;
  } finally {
    await client.close();
  }
}

function fileButton(page: Page, name: string) {
  return page.locator(`[data-testid="workspace-file"][data-file-name="${name}"]`);
}

function fileState(page: Page, name: string) {
  return page.locator("li", { has: fileButton(page, name) }).getByTestId("workspace-file-state");
}

async function openWorkspace(ui: RecordedPage, gw: UiGateway): Promise<void> {
  await ui.signIn(gw);
  await ui.page.getByTestId("nav-workspace").click();
  await ui.page.getByTestId("screen-workspace").waitFor();
  await expect.poll(() => ui.page.getByTestId("workspace-file").count()).toBeGreaterThan(0);
}

describe("Control UI workspace screen", () => {
  it("lists the bootstrap files, edits SOUL.md and creates a missing file, both written to disk", async () => {
    const { gw, ui } = await open();
    const { page } = ui;
    const workspace = await workspaceWithSoul(gw, "Be calm.\n");
    await openWorkspace(ui, gw);
    expect(page.url()).toMatch(/#\/workspace$/);
    expect(await page.getByTestId("workspace-path").textContent()).toBe(`Workspace: ${workspace}`);
    const names = await page.getByTestId("workspace-file").allTextContents();
    expect(names).toEqual(expect.arrayContaining(["AGENTS.md", "SOUL.md", "MEMORY.md", "BOOTSTRAP.md"]));
    expect(await fileState(page, "SOUL.md").textContent()).toBe("9 B");

    await fileButton(page, "SOUL.md").click();
    const editor = page.getByLabel("Contents of SOUL.md");
    await expect.poll(() => editor.inputValue()).toBe("Be calm.\n");
    expect(await fileButton(page, "SOUL.md").getAttribute("aria-pressed")).toBe("true");
    await editor.fill("You are terse and kind.\n");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.getByTestId("workspace-status").textContent()).toBe("Saved SOUL.md.");
    expect(await readFile(join(workspace, "SOUL.md"), "utf8")).toBe("You are terse and kind.\n");
    await expect.poll(() => fileState(page, "SOUL.md").textContent()).toBe("24 B");
    await ui.screenshot("workspace");

    // BOOTSTRAP.md is never seeded: the screen offers to create it.
    expect(await fileState(page, "BOOTSTRAP.md").textContent()).toBe("not created (optional)");
    await fileButton(page, "BOOTSTRAP.md").click();
    await expect
      .poll(() => page.getByTestId("workspace-file-hint").textContent())
      .toContain("saving creates it");
    await page.getByLabel("Contents of BOOTSTRAP.md").fill("Say hello first.\n");
    await page.getByRole("button", { name: "Create file" }).click();
    await expect.poll(() => page.getByTestId("workspace-status").textContent()).toBe("Created BOOTSTRAP.md.");
    expect(await readFile(join(workspace, "BOOTSTRAP.md"), "utf8")).toBe("Say hello first.\n");
    await expect.poll(() => fileState(page, "BOOTSTRAP.md").textContent()).toBe("17 B");
    expect(await page.getByRole("button", { name: "Save" }).isVisible()).toBe(true);
    await ui.expectCleanRecord(gw.token);
  });

  it("keeps unsaved edits across files, and refuses to overwrite a file changed on disk since it was opened", async () => {
    const { gw, ui } = await open();
    const { page } = ui;
    const workspace = await workspaceWithSoul(gw, "Be calm.\n");
    await openWorkspace(ui, gw);
    await fileButton(page, "SOUL.md").click();
    const editor = page.getByLabel("Contents of SOUL.md");
    await expect.poll(() => editor.inputValue()).toBe("Be calm.\n");
    await editor.fill("My edit.\n");
    const soulRow = page.locator("li", { has: fileButton(page, "SOUL.md") });
    await expect.poll(() => soulRow.textContent()).toContain("edited");

    await fileButton(page, "AGENTS.md").click();
    await page.getByLabel("Contents of AGENTS.md").waitFor();
    await fileButton(page, "SOUL.md").click();
    await expect.poll(() => editor.inputValue()).toBe("My edit.\n");

    await writeFile(join(workspace, "SOUL.md"), "Changed elsewhere.\n", "utf8");
    await page.getByRole("button", { name: "Save" }).click();
    const conflict = page.getByTestId("workspace-conflict");
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain("changed by someone else");
    expect(await page.getByTestId("workspace-error").textContent()).toContain("SOUL.md was not saved");
    expect(await readFile(join(workspace, "SOUL.md"), "utf8")).toBe("Changed elsewhere.\n");
    await ui.screenshot("workspace-conflict");

    await page.getByTestId("workspace-conflict-reload").click();
    await expect.poll(() => editor.inputValue()).toBe("Changed elsewhere.\n");
    expect(await conflict.isVisible()).toBe(false);
    await ui.expectCleanRecord(gw.token);
  });

  it("switches agents with the picker, and the agent is part of the address", async () => {
    const { gw, ui } = await open();
    const { page } = ui;
    const client = new GatewayClient({ url: gw.server.url, token: gw.token });
    let opsWorkspace: string;
    try {
      await client.connect();
      opsWorkspace = (await client.request("agents.create", { name: "Ops" })).workspace;
    } finally {
      await client.close();
    }
    await openWorkspace(ui, gw);
    await page.getByLabel("Agent").selectOption({ label: "Ops (ops)" });
    await expect.poll(() => page.url()).toMatch(/#\/workspace\/ops$/);
    await expect
      .poll(() => page.getByTestId("workspace-path").textContent())
      .toBe(`Workspace: ${opsWorkspace}`);
    await page.reload();
    await expect.poll(() => page.getByLabel("Agent").inputValue()).toBe("ops");
    await fileButton(page, "SOUL.md").click();
    await page.getByLabel("Contents of SOUL.md").fill("Ops persona.\n");
    await page.getByRole("button", { name: /Save|Create file/ }).click();
    await expect
      .poll(() => readFile(join(opsWorkspace, "SOUL.md"), "utf8").catch(() => ""))
      .toBe("Ops persona.\n");
    await ui.expectCleanRecord(gw.token);
  });

  it("is read-only for a sign-in without operator.admin", async () => {
    const { gw, ui } = await open({ authScopes: ["operator.read", "operator.write"] });
    const { page } = ui;
    await workspaceWithSoul(gw, "Be calm.\n");
    await openWorkspace(ui, gw);
    expect(await page.getByTestId("workspace-readonly").textContent()).toContain(
      "not granted operator.admin",
    );
    await fileButton(page, "SOUL.md").click();
    const editor = page.getByLabel("Contents of SOUL.md");
    await expect.poll(() => editor.inputValue()).toBe("Be calm.\n");
    expect(await editor.getAttribute("readonly")).not.toBeNull();
    expect(await page.getByTestId("workspace-save").isVisible()).toBe(false);
    await ui.expectCleanRecord(gw.token);
  });
});

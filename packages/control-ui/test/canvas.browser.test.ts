import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GatewayClient } from "@openclaw/client";
import { describe, expect, it } from "vitest";
import { type RecordedPage, type UiGateway, useUiHarness } from "./ui-test-env.js";

const { open } = useUiHarness();

/** The default agent's canvas folder (`<workspace>/canvas`) with `files` written into it. */
async function canvasFolder(gw: UiGateway, files: Record<string, string>): Promise<string> {
  const root = join(gw.stateDir, "workspace", "canvas");
  await mkdir(root, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(root, name), text, "utf8");
  return root;
}

/** Signs in and opens the Canvas screen. */
async function openPanel(ui: RecordedPage, gw: UiGateway): Promise<void> {
  await ui.signIn(gw);
  await ui.page.getByTestId("nav-canvas").click();
  await ui.page.getByTestId("screen-canvas").waitFor();
}

/** Opens the Canvas screen and lets the agent drive it: connected (and approved) as a canvas node. */
async function openPanelAsNode(ui: RecordedPage, gw: UiGateway): Promise<void> {
  await openPanel(ui, gw);
  await ui.page.getByTestId("canvas-agent-toggle").check();
  await expect
    .poll(() => ui.page.getByTestId("canvas-node-status").getAttribute("data-state"))
    .toBe("connected");
}

const page = (title: string) =>
  `<!doctype html><html><head><title>${title}</title></head><body><h1 id="title">${title}</h1></body></html>`;

describe("canvas host in Chromium", () => {
  it("opens a canvas page through the host and reloads it when the file is edited", async () => {
    const { gw, ui } = await open();
    const root = await canvasFolder(gw, { "index.html": page("First draft") });
    await ui.page.goto(`${gw.server.httpUrl}/__openclaw__/canvas/`);
    await expect.poll(() => ui.page.locator("#title").textContent()).toBe("First draft");
    // The live-reload stream is open before the edit, so the edit cannot slip in between.
    await expect.poll(() => gw.server.runtime.canvasHost.liveReload.clientCount).toBe(1);
    await writeFile(join(root, "index.html"), page("Second draft"), "utf8");
    await expect.poll(() => ui.page.locator("#title").textContent()).toBe("Second draft");
    // The page runs in a sandbox: an opaque origin, so it cannot read the Control UI's storage.
    expect(await ui.page.evaluate(() => self.origin)).toBe("null");
    expect(ui.console.filter((line) => line.startsWith("pageerror"))).toEqual([]);
  });

  it("renders an A2UI surface (v0.8 JSONL) with the bundled renderer", async () => {
    const { gw, ui } = await open();
    const messages = [
      {
        surfaceUpdate: {
          surfaceId: "main",
          components: [
            { id: "root", component: { Column: { children: { explicitList: ["heading", "card"] } } } },
            {
              id: "heading",
              component: { Text: { text: { literalString: "Build status" }, usageHint: "h1" } },
            },
            { id: "card", component: { Card: { child: "row" } } },
            { id: "row", component: { Row: { children: { explicitList: ["status", "retry"] } } } },
            { id: "status", component: { Text: { text: { path: "/build/state" } } } },
            { id: "retry", component: { Button: { child: "retryLabel", action: { name: "retry" } } } },
            { id: "retryLabel", component: { Text: { text: { literalString: "Retry" } } } },
          ],
        },
      },
      {
        dataModelUpdate: {
          surfaceId: "main",
          path: "/build",
          contents: [{ key: "state", valueString: "passed <script>alert(1)</script>" }],
        },
      },
      { beginRendering: { surfaceId: "main", root: "root" } },
    ];
    await canvasFolder(gw, { "status.jsonl": messages.map((message) => JSON.stringify(message)).join("\n") });
    await ui.page.goto(`${gw.server.httpUrl}/__openclaw__/a2ui/?src=/__openclaw__/canvas/status.jsonl`);
    await expect.poll(() => ui.page.locator("h1").textContent()).toBe("Build status");
    const card = ui.page.locator(".a2ui-card");
    expect(await card.locator('[data-a2ui-id="status"]').textContent()).toBe(
      "passed <script>alert(1)</script>",
    );
    expect(await card.getByRole("button").textContent()).toBe("Retry");
    // Only files of the canvas folder are read, never another path of the gateway.
    await ui.page.goto(`${gw.server.httpUrl}/__openclaw__/a2ui/?src=/v1/models`);
    await expect
      .poll(() => ui.page.locator("openclaw-a2ui-host").textContent())
      .toContain("src must be a file of the canvas folder");
    await ui.page.goBack();
    // The data model's markup stayed text: no script element came out of it.
    expect(await ui.page.locator("openclaw-a2ui-host script").count()).toBe(0);
    expect(ui.console.filter((line) => line.includes("Content Security Policy"))).toEqual([]);
  });

  it("the Control UI's Canvas panel opens a canvas file in its sandboxed frame and refuses other sites", async () => {
    const { gw, ui } = await open();
    await canvasFolder(gw, { "hello.html": page("Hello panel") });
    await openPanel(ui, gw);
    await ui.page.getByTestId("canvas-path").fill("hello.html");
    await ui.page.getByTestId("canvas-open").click();
    const frame = ui.page.frameLocator('[data-testid="canvas-frame"]');
    await expect.poll(() => frame.locator("#title").textContent()).toBe("Hello panel");
    expect(await ui.page.getByTestId("canvas-path-shown").textContent()).toBe(
      "/__openclaw__/canvas/hello.html",
    );
    // Framed through a capability URL (OpenClaw's plugin surface), not the bare path.
    expect(await ui.page.getByTestId("canvas-frame").getAttribute("src")).toMatch(
      /^\/__openclaw__\/cap\/[\w-]{24}\/__openclaw__\/canvas\/hello\.html$/,
    );
    await ui.page.getByTestId("canvas-path").fill("https://example.com/");
    await ui.page.getByTestId("canvas-open").click();
    await expect
      .poll(() => ui.page.getByTestId("canvas-error").textContent())
      .toContain("is not this gateway");
    await ui.page.getByTestId("canvas-path").fill("missing.html");
    await ui.page.getByTestId("canvas-open").click();
    await expect
      .poll(() => ui.page.getByTestId("canvas-error").textContent())
      .toContain("not in the canvas folder");
    await ui.page.getByTestId("canvas-hide").click();
    expect(await ui.page.getByTestId("canvas-stage").isVisible()).toBe(false);
    await ui.screenshot("canvas-panel");
    await ui.expectCleanRecord(gw.token);
  });
});

describe("the Canvas panel as a canvas node", () => {
  it("answers canvas.present, navigate, eval, snapshot and hide sent through node.invoke", async () => {
    const { gw, ui } = await open();
    await canvasFolder(gw, { "hello.html": page("Hello node"), "second.html": page("Second page") });
    await openPanelAsNode(ui, gw);
    const operator = new GatewayClient({ url: gw.server.url, token: gw.token });
    await operator.connect();
    try {
      const { nodes } = await operator.request("node.list", {});
      const node = nodes.find((entry) => entry.connected && entry.commands.includes("canvas.present"));
      expect(node?.approvalState).toBe("approved");
      const nodeId = node?.nodeId ?? "";
      const invoke = (command: string, params?: Record<string, unknown>) =>
        operator.request("node.invoke", {
          nodeId,
          command,
          idempotencyKey: randomUUID(),
          ...(params ? { params } : {}),
        });

      const presented = await invoke("canvas.present", { url: "hello.html" });
      expect(presented.payload).toEqual({ visible: true, path: "/__openclaw__/canvas/hello.html" });
      const frame = ui.page.frameLocator('[data-testid="canvas-frame"]');
      await expect.poll(() => frame.locator("#title").textContent()).toBe("Hello node");

      await invoke("canvas.navigate", { url: "/__openclaw__/canvas/second.html" });
      await expect.poll(() => frame.locator("#title").textContent()).toBe("Second page");
      const evaluated = await invoke("canvas.eval", { javaScript: "document.title + ' / ' + (1 + 2)" });
      expect(evaluated.payload).toEqual({ result: "Second page / 3" });

      const snapshot = (await invoke("canvas.snapshot", { format: "png", maxWidth: 400 })).payload as {
        format: string;
        base64: string;
        width: number;
      };
      expect(snapshot.format).toBe("png");
      expect(snapshot.width).toBeLessThanOrEqual(400);
      const png = Buffer.from(snapshot.base64, "base64");
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
      expect(png.length).toBeGreaterThan(500);

      const refused = await invoke("canvas.navigate", { url: "https://example.com/" }).catch(
        (error: unknown) => error,
      );
      expect(String(refused)).toContain("is not this gateway");
      await invoke("canvas.hide");
      expect(await ui.page.getByTestId("canvas-stage").isVisible()).toBe(false);
    } finally {
      await operator.close();
    }
    await ui.expectCleanRecord(gw.token);
  });
});

describe("the agent's canvas tool", () => {
  it("presents a canvas page on the Control UI's Canvas panel and reads it back (scripted model)", async () => {
    const { gw, ui } = await open();
    await canvasFolder(gw, { "report.html": page("Quarterly report") });
    await openPanelAsNode(ui, gw);

    gw.fake.enqueue(
      {
        toolCalls: [
          { id: "call_present", name: "canvas", arguments: { action: "present", url: "report.html" } },
        ],
      },
      {
        toolCalls: [
          { id: "call_eval", name: "canvas", arguments: { action: "eval", javaScript: "document.title" } },
        ],
      },
      { text: "The report is on your canvas." },
    );
    const operator = new GatewayClient({ url: gw.server.url, token: gw.token });
    await operator.connect();
    try {
      const ack = await operator.request("chat.send", {
        sessionKey: "agent:main:main",
        message: "show me the quarterly report",
        idempotencyKey: randomUUID(),
      });
      const done = await operator.request("agent.wait", { runId: ack.runId, timeoutMs: 60_000 });
      expect(done.status).toBe("ok");
    } finally {
      await operator.close();
    }
    const frame = ui.page.frameLocator('[data-testid="canvas-frame"]');
    await expect.poll(() => frame.locator("#title").textContent()).toBe("Quarterly report");
    expect(await ui.page.getByTestId("canvas-stage").isVisible()).toBe(true);
    // The model saw both results: the panel that showed the page, and the page's own title from eval.
    const lastRequest = JSON.stringify(gw.fake.requests.at(-1)?.body);
    expect(lastRequest).toContain('\\"url\\":\\"report.html\\"');
    expect(lastRequest).toContain('\\"result\\":\\"Quarterly report\\"');
    await ui.screenshot("canvas-agent");
    await ui.expectCleanRecord(gw.token);
  });
});

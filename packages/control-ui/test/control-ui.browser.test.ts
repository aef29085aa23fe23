import { readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { GatewayClient } from "@openclaw/client";
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  connectAsNode,
  launchBrowser,
  RecordedPage,
  startUiGateway,
  type UiGateway,
  type UiGatewayOptions,
} from "./ui-test-env.js";

let browser: Browser;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function gateway(options: UiGatewayOptions = {}): Promise<UiGateway> {
  const started = await startUiGateway(options);
  cleanups.push(() => started.close());
  return started;
}

async function openPage(): Promise<RecordedPage> {
  const recorded = await RecordedPage.open(browser);
  cleanups.push(() => recorded.close());
  return recorded;
}

describe("Control UI in a browser", () => {
  it("refuses a wrong token with the gateway's message, signs in, shows health, and signs out", async () => {
    const gw = await gateway();
    const ui = await openPage();
    const { page } = ui;
    await page.goto(gw.pageUrl);
    await expect.poll(() => page.getByRole("heading", { name: /Sign in/ }).isVisible()).toBe(true);
    await ui.screenshot("sign-in");

    await ui.signIn(gw, "not-the-token");
    const refusal = page.getByTestId("sign-in-error");
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain("the gateway token does not match");
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    await ui.signIn(gw);
    const health = page.getByTestId("overview-health");
    await health.waitFor();
    expect(await health.textContent()).toBe("ok");
    await expect.poll(() => page.getByTestId("overview-bind").textContent()).toContain(`:${gw.server.port}`);
    expect(await page.getByTestId("overview-authMode").textContent()).toBe("token");
    expect(await page.getByTestId("overview-version").textContent()).toMatch(/\d+\.\d+/);
    expect(page.url()).toMatch(/#\/overview$/);
    await ui.screenshot("overview");

    // A reload keeps the tab signed in (sessionStorage), without the token in the URL.
    await page.reload();
    await page.getByTestId("overview-health").waitFor();

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByTestId("sign-in-form").waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await ui.expectCleanRecord(gw.token);
  });

  it("signs in with a password on a password gateway", async () => {
    const gw = await gateway({ authMode: "password" });
    const ui = await openPage();
    const { page } = ui;
    await ui.signIn(gw, "wrong-password", "password");
    await page.getByTestId("sign-in-error").waitFor();
    expect(await page.getByTestId("sign-in-error").textContent()).toContain("password does not match");
    await ui.signIn(gw, gw.token, "password");
    await page.getByTestId("overview-health").waitFor();
    await expect.poll(() => page.getByTestId("overview-authMode").textContent()).toBe("password");
    await ui.expectCleanRecord(gw.token);
  });

  it("signs in without credentials on a gateway with auth mode none", async () => {
    const gw = await gateway({ authMode: "none" });
    const ui = await openPage();
    const { page } = ui;
    await page.goto(gw.pageUrl);
    await page.getByRole("radio", { name: "No authentication" }).check();
    expect(await page.getByLabel("Gateway token").isVisible()).toBe(false);
    expect(await page.getByTestId("sign-in-none-hint").isVisible()).toBe(true);
    await ui.screenshot("sign-in-none");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("overview-health").waitFor();
    await expect.poll(() => page.getByTestId("overview-authMode").textContent()).toBe("none");

    // The choice survives a reload in this tab, still without any secret stored.
    await page.reload();
    await page.getByTestId("overview-health").waitFor();
    expect(await page.evaluate(() => Object.values(sessionStorage))).toEqual([
      JSON.stringify({ kind: "none", secret: "" }),
    ]);
    await ui.expectCleanRecord(gw.token);
  });

  it("a token gateway refuses the no-authentication choice with its own message", async () => {
    const gw = await gateway();
    const ui = await openPage();
    const { page } = ui;
    await page.goto(gw.pageUrl);
    await page.getByRole("radio", { name: "No authentication" }).check();
    await page.getByRole("button", { name: "Sign in" }).click();
    const refusal = page.getByTestId("sign-in-error");
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/token/i);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await ui.expectCleanRecord(gw.token);
  });

  it("streams a chat answer as it arrives, aborts a run, and finishes the next one", async () => {
    const gw = await gateway();
    const ui = await openPage();
    const { page } = ui;
    await ui.signIn(gw);
    await page.getByTestId("nav-chat").click();
    await page.getByTestId("screen-chat").waitFor();

    // A reply that streams two pieces and then never ends: what is on screen can only have come from deltas.
    gw.fake.enqueue({ chunks: ["Partial", " answer"], hang: true });
    await page.getByLabel("Message").fill("talk to me");
    await page.getByRole("button", { name: "Send" }).click();
    const streaming = page.locator('[data-testid="chat-assistant"][data-status="streaming"]');
    await expect.poll(() => streaming.textContent(), { timeout: 30_000 }).toContain("Partial answer");
    const abort = page.getByRole("button", { name: "Abort" });
    expect(await abort.isVisible()).toBe(true);
    await ui.screenshot("chat-streaming");
    await abort.click();
    await page.locator('[data-testid="chat-assistant"][data-status="aborted"]').waitFor();
    await expect.poll(() => abort.isVisible()).toBe(false);

    gw.fake.enqueue({ chunks: ["Hello", " from", " the fake"], chunkDelayMs: 20 });
    await page.getByLabel("Message").fill("again");
    await page.getByLabel("Message").press("Enter");
    const done = page.locator('[data-testid="chat-assistant"][data-status="done"]');
    await done.waitFor({ timeout: 30_000 });
    expect(await done.textContent()).toContain("Hello from the fake");
    expect(await page.getByTestId("chat-user").allTextContents()).toEqual([
      expect.stringContaining("talk to me"),
      expect.stringContaining("again"),
    ]);
    await ui.screenshot("chat");
    await ui.expectCleanRecord(gw.token);
  });

  it("lists, searches, previews, compacts, resets and deletes sessions", async () => {
    const gw = await gateway();
    const ui = await openPage();
    const { page } = ui;
    await ui.signIn(gw);
    gw.fake.enqueue({ text: "first answer" });
    await page.getByTestId("nav-chat").click();
    await page.getByLabel("Message").fill("remember me");
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator('[data-testid="chat-assistant"][data-status="done"]').waitFor({ timeout: 30_000 });

    await page.getByTestId("nav-sessions").click();
    const row = page.getByTestId("session-row").first();
    await row.waitFor();
    const key = await row.getAttribute("data-session-key");
    expect(key).toBeTruthy();
    expect(await row.textContent()).toContain("first answer");

    await page.getByLabel("Search").fill("no-such-session-anywhere");
    await expect.poll(() => page.getByTestId("sessions-table").textContent()).toContain("No sessions match.");
    await page.getByLabel("Search").fill("");
    await row.waitFor();

    await row.getByRole("button").click();
    const preview = page.getByTestId("session-preview");
    await preview.waitFor();
    expect(await preview.textContent()).toContain("remember me");
    await ui.screenshot("sessions");

    await page.getByTestId("session-compact").click();
    await expect.poll(() => page.getByTestId("sessions-status").textContent()).toMatch(/ompact/);

    await page.getByTestId("session-reset").click();
    await expect.poll(() => page.getByTestId("sessions-status").textContent()).toContain(`Reset ${key}`);
    await page.getByTestId("session-preview-empty").waitFor();

    await page.getByTestId("session-delete").click();
    const prompt = page.getByRole("alertdialog");
    expect(await prompt.textContent()).toContain(`Delete session ${key}`);
    await page.getByTestId("session-delete-confirm").click();
    await expect
      .poll(() => page.getByTestId("sessions-status").textContent())
      .toMatch(/Deleted|already gone/);
    await expect.poll(() => page.locator(`[data-session-key="${key}"]`).count()).toBe(0);
    await ui.expectCleanRecord(gw.token);
  });

  it("shows config validation issues inline and a conflict with a reload button", async () => {
    const gw = await gateway();
    const ui = await openPage();
    const { page } = ui;
    await ui.signIn(gw);
    await page.getByTestId("nav-config").click();
    const editor = page.getByLabel("Config file (JSON5)");
    await expect.poll(() => editor.inputValue()).toContain("fake/fast");

    await editor.fill('{ "gateway": { "port": "not-a-port" } }');
    await page.getByRole("button", { name: "Save" }).click();
    const issue = page.getByTestId("config-issue").first();
    await issue.waitFor();
    expect(await issue.textContent()).toContain("gateway.port");
    expect(await editor.getAttribute("aria-invalid")).toBe("true");
    expect(await readFile(gw.configPath, "utf8")).toContain("fake/fast");
    await ui.screenshot("config");

    // Someone else edits the file: saving over it must be refused, and Reload brings their version.
    const original = await readFile(gw.configPath, "utf8");
    const theirs = original.replace('"fake/fast"', '"fake/fast" // edited elsewhere');
    await writeFile(gw.configPath, theirs, "utf8");
    await editor.fill(original);
    await page.getByRole("button", { name: "Save" }).click();
    const conflict = page.getByTestId("config-conflict");
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain("Someone else changed the config");
    await page.getByTestId("config-reload").click();
    await expect.poll(() => editor.inputValue()).toContain("edited elsewhere");
    expect(await conflict.isVisible()).toBe(false);
    await ui.expectCleanRecord(gw.token);
  });

  it("lists channel accounts, stops and starts one, probes, and tells how to link WhatsApp", async () => {
    const gw = await gateway({ unlinkedWhatsApp: true });
    const ui = await openPage();
    const { page } = ui;
    await ui.signIn(gw);
    await page.getByTestId("nav-channels").click();
    const row = page.getByTestId("channel-row-whatsapp-default");
    const cells = () => row.locator("td").allTextContents();
    await expect.poll(cells).toEqual(expect.arrayContaining(["default", "yes", "no"]));
    const note = page.getByTestId("whatsapp-login-note-default");
    expect(await note.textContent()).toContain("openclaw channels login whatsapp");
    await ui.screenshot("channels");

    await page.getByRole("button", { name: "Stop WhatsApp default" }).click();
    await expect.poll(async () => (await cells())[1]).toBe("no");
    await page.getByRole("button", { name: "Start WhatsApp default" }).click();
    await expect.poll(async () => (await cells())[1]).toBe("yes");
    await page.getByRole("button", { name: "Probe" }).click();
    await expect.poll(() => page.getByTestId("channels-status").textContent()).toContain("(probed)");
    await ui.expectCleanRecord(gw.token);
  });

  it("links WhatsApp with a QR code rendered by the gateway, then shows the account connected", async () => {
    const gw = await gateway({ unlinkedWhatsApp: true });
    const whatsapp = gw.whatsapp;
    if (whatsapp === undefined) throw new Error("the gateway should have the fake WhatsApp channel");
    const ui = await openPage();
    const { page } = ui;
    await ui.signIn(gw);
    await page.getByTestId("nav-channels").click();
    const row = page.getByTestId("channel-row-whatsapp-default");
    const cells = () => row.locator("td").allTextContents();
    await expect.poll(cells).toEqual(expect.arrayContaining(["default", "yes", "no"]));

    const parked = whatsapp.nextWait();
    await page.getByRole("button", { name: "Link WhatsApp default with QR code" }).click();
    const image = page.getByTestId("qr-image-default");
    await image.waitFor();
    const src = (await image.getAttribute("src")) ?? "";
    expect(src).toMatch(/^data:image\/png;base64,/);
    // The PNG decoded in the page: a real image, not a broken icon.
    await expect
      .poll(() => image.evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(100);
    await parked;
    await ui.screenshot("channels-whatsapp-qr");

    whatsapp.scan();
    await expect.poll(() => page.getByTestId("channels-status").textContent()).toContain("is linked");
    await expect.poll(async () => (await cells())[2]).toBe("yes");
    expect(await page.getByTestId("whatsapp-login-note-default").count()).toBe(0);
    await ui.screenshot("channels-whatsapp-linked");
    await ui.expectCleanRecord(gw.token);
  });

  it("renders the channels screen without channels, and tails the logs live", async () => {
    const gw = await gateway();
    const ui = await openPage();
    const { page } = ui;
    await ui.signIn(gw);
    await page.getByTestId("nav-channels").click();
    await expect
      .poll(() => page.getByTestId("channels-table").textContent())
      .toContain("No channels are configured.");

    await page.getByTestId("nav-logs").click();
    const output = page.getByTestId("logs-output");
    await expect.poll(() => output.textContent(), { timeout: 30_000 }).toContain("gateway listening");
    // Something logged after the first page arrives with a later poll, which passes the cursor on.
    const marker = `marker-${Date.now()}`;
    gw.server.runtime.logger.info("control ui test marker", { marker });
    await expect.poll(() => output.textContent(), { timeout: 30_000 }).toContain(marker);
    await ui.screenshot("logs");
    await ui.expectCleanRecord(gw.token);
  });

  it("answers exec approvals live, with a badge on every screen, and pairs a node", async () => {
    const gw = await gateway();
    const ui = await openPage();
    const { page } = ui;
    await ui.signIn(gw);
    await page.getByTestId("overview-health").waitFor();

    // Another operator connection (an agent's host, say) asks; the page is on the overview meanwhile.
    const asker = new GatewayClient({ url: gw.server.url, token: gw.token, scopes: ["operator.approvals"] });
    await asker.connect();
    cleanups.push(() => asker.close());
    const first = asker.request(
      "exec.approval.request",
      {
        id: "ui-approval-1",
        command: "ls -la /tmp",
        agentId: "main",
        sessionKey: "agent:main:main",
        cwd: "/tmp",
        warningText: "Lists a shared directory",
        timeoutMs: 120_000,
      },
      { timeoutMs: 125_000 },
    );
    const badge = page.getByTestId("approvals-badge");
    await expect.poll(() => badge.textContent()).toBe("1 pending");
    expect(await badge.isVisible()).toBe(true);

    await page.getByTestId("nav-approvals").click();
    const row = page.locator('[data-testid="approval-row"][data-approval-id="ui-approval-1"]');
    await row.waitFor();
    expect(await row.getByTestId("approval-command").textContent()).toBe("ls -la /tmp");
    expect(await row.getByTestId("approval-warning").textContent()).toBe("Lists a shared directory");
    const facts = await row.locator("dd").allTextContents();
    expect(facts).toEqual(expect.arrayContaining(["main", "agent:main:main", "/tmp", "gateway"]));
    expect(await row.getByRole("button").allTextContents()).toEqual(["Allow once", "Allow always", "Deny"]);
    // The countdown moves on its own, second by second.
    const timeLeft = row.getByTestId("approval-time-left");
    const before = (await timeLeft.textContent()) ?? "";
    expect(before).toMatch(/^\dm \d+s left$/);
    await expect.poll(() => timeLeft.textContent()).not.toBe(before);

    // A node host connecting with the gateway token is held back until an operator approves it.
    const refused = await connectAsNode(gw.server.url, gw.token, "kitchen-pi");
    expect(refused).toMatchObject({ ok: false, error: { code: "NOT_PAIRED" } });
    const request = page.getByTestId("pair-request-row");
    await request.waitFor();
    expect(await request.locator("th").textContent()).toBe("kitchen-pi");
    expect(await request.textContent()).toContain("camera");
    await ui.screenshot("approvals");

    await row.getByRole("button", { name: "Allow once" }).click();
    const answer = await first;
    expect(answer).toMatchObject({ id: "ui-approval-1", decision: "allow-once", reason: "operator" });
    await expect.poll(() => row.count()).toBe(0);
    const outcome = page.locator('[data-testid="approval-outcome"][data-approval-id="ui-approval-1"]');
    expect(await outcome.textContent()).toBe("ls -la /tmp — allowed once by you");
    await expect.poll(() => badge.isVisible()).toBe(false);

    await page.getByRole("button", { name: "Approve node kitchen-pi" }).click();
    const paired = page.locator('[data-testid="paired-node-row"][data-node-id="kitchen-pi"]');
    await paired.waitFor();
    await expect.poll(() => page.getByTestId("pair-request-row").count()).toBe(0);
    expect(await page.getByTestId("pairing-status").textContent()).toContain("Approved kitchen-pi");
    expect(await connectAsNode(gw.server.url, gw.token, "kitchen-pi")).toEqual({ ok: true });

    // Nobody answers this one: the gateway denies it when its time runs out, and the page says so. Its time is
    // long enough for a loaded machine to show the row first (3 s was not always).
    const second = asker.request("exec.approval.request", {
      id: "ui-approval-2",
      command: "rm -rf build",
      timeoutMs: 10_000,
    });
    const expiring = page.locator('[data-testid="approval-row"][data-approval-id="ui-approval-2"]');
    await expiring.waitFor();
    await expect.poll(() => badge.textContent()).toBe("1 pending");
    expect(await second).toMatchObject({ id: "ui-approval-2", decision: "deny", reason: "timeout" });
    const expired = page.locator('[data-testid="approval-outcome"][data-approval-id="ui-approval-2"]');
    await expect.poll(() => expired.textContent()).toBe("rm -rf build — denied: no answer in time");
    expect(await expiring.count()).toBe(0);
    expect(await page.getByTestId("approvals-empty").isVisible()).toBe(true);
    expect(await badge.isVisible()).toBe(false);

    await page.getByRole("button", { name: "Remove node kitchen-pi" }).click();
    await expect.poll(() => paired.count()).toBe(0);
    await ui.screenshot("approvals-answered");
    await ui.expectCleanRecord(gw.token);
  });

  it("tells a sign-in without the approvals and pairing scopes why that screen is empty", async () => {
    const gw = await gateway({ authScopes: ["operator.read", "operator.write"] });
    const ui = await openPage();
    const { page } = ui;
    await ui.signIn(gw);
    await page.getByTestId("overview-health").waitFor();
    await page.getByTestId("nav-approvals").click();
    await expect
      .poll(() => page.getByTestId("approvals-status").textContent())
      .toContain("not granted operator.approvals");
    expect(await page.getByTestId("pairing-status").textContent()).toContain("not granted operator.pairing");
    expect(await page.getByTestId("approval-list").count()).toBe(0);
    expect(await page.getByTestId("pair-requests-table").count()).toBe(0);
    expect(await page.getByTestId("approvals-error").isVisible()).toBe(false);
    expect(await page.getByTestId("approvals-badge").isVisible()).toBe(false);
    await ui.expectCleanRecord(gw.token);
  });

  it("works when served under a base path", async () => {
    const gw = await gateway({ basePath: "/openclaw" });
    const ui = await openPage();
    const { page } = ui;
    expect(gw.pageUrl).toMatch(/\/openclaw\/$/);
    const response = await page.goto(gw.pageUrl);
    expect(response?.status()).toBe(200);
    await ui.signIn(gw);
    await page.getByTestId("overview-health").waitFor();
    expect(await page.getByTestId("overview-health").textContent()).toBe("ok");
    expect(new URL(page.url()).pathname).toBe("/openclaw/");
    await ui.expectCleanRecord(gw.token);
  });

  it("forbids framing: CSP frame-ancestors 'none', and a foreign page's iframe stays empty", async () => {
    const gw = await gateway();
    const response = await fetch(gw.pageUrl);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'self'");

    const framer: Server = createServer((_request, reply) => {
      reply.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      reply.end(`<!doctype html><title>framer</title><iframe id="victim" src="${gw.pageUrl}"></iframe>`);
    });
    await new Promise<void>((resolve) => framer.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => framer.close(() => resolve())));
    const { port } = framer.address() as AddressInfo;

    const ui = await openPage();
    const { page } = ui;
    await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: "load" });
    const child = page.frames().find((frame) => frame !== page.mainFrame());
    expect(child).toBeDefined();
    expect(await child?.locator("[data-testid=sign-in-form]").count()).toBe(0);
    expect(child?.url()).not.toBe(gw.pageUrl);
  });
});

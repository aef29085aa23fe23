import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { useIntegrationEnv } from "../integration/harness.js";
import { resolveControlUiSite } from "../runtime/control-ui-site.js";

const env = useIntegrationEnv();

const BOOT_SCRIPT = "globalThis.__boot = 1;";
/** Shaped like OpenClaw's built index.html: relative asset links and an inline boot script. */
const UPSTREAM_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <link rel="icon" href="./favicon.svg" />
    <script>${BOOT_SCRIPT}</script>
    <script type="module" src="./assets/index-Ab12Cd34.js"></script>
  </head>
  <body></body>
</html>
`;

async function uiFolder(name: string, page: string): Promise<string> {
  const root = join(await env.makeStateDir(), name);
  await mkdir(join(root, "assets"), { recursive: true });
  await writeFile(join(root, "index.html"), page);
  await writeFile(join(root, "assets", "index-Ab12Cd34.js"), `console.log(${JSON.stringify(name)})`);
  return root;
}

describe("gateway.controlUi.root", () => {
  it("serves that folder instead of the bundled UI, rebased for deep links, with its boot script allowed", async () => {
    const bundled = await uiFolder("bundled", "<!doctype html><title>bundled</title>");
    const upstream = await uiFolder("upstream", UPSTREAM_PAGE);
    const { server } = await env.start({
      controlUiRoot: bundled,
      config: { gateway: { controlUi: { root: upstream, basePath: "/ui" } } },
    });

    const page = await fetch(`${server.httpUrl}/ui/chat/main`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('<html data-openclaw-control-ui-base-path="/ui" lang="en">');
    expect(html).toContain('href="/ui/favicon.svg"');
    expect(html).toContain('src="/ui/assets/index-Ab12Cd34.js"');
    expect(html).not.toContain('"./');

    const csp = page.headers.get("content-security-policy") ?? "";
    const hash = createHash("sha256").update(BOOT_SCRIPT, "utf8").digest("base64");
    expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");

    const asset = await fetch(`${server.httpUrl}/ui/assets/index-Ab12Cd34.js`);
    expect(await asset.text()).toBe('console.log("upstream")');
  });

  it("keeps the bundled UI's strict policy when no root is configured", async () => {
    const { server } = await env.start({ controlUiRoot: await uiFolder("bundled", UPSTREAM_PAGE) });
    const csp = (await fetch(`${server.httpUrl}/`)).headers.get("content-security-policy") ?? "";
    expect(csp).toContain("style-src 'self';");
    expect(csp).not.toContain("unsafe-inline");
  });
});

describe("the Control UI's start-up settings (OpenClaw's /control-ui-config.json)", () => {
  it("answers the token holder with the default agent's name, under the base path", async () => {
    const upstream = await uiFolder("upstream", UPSTREAM_PAGE);
    const { server, token } = await env.start({
      config: {
        gateway: { controlUi: { root: upstream, basePath: "/ui" } },
        agents: { list: [{ id: "main", identity: { name: "Molty", emoji: "🦞" } }] },
      },
    });
    const url = `${server.httpUrl}/ui/control-ui-config.json`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    const answer = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({
      basePath: "/ui",
      assistantName: "Molty",
      assistantAvatar: "🦞",
      assistantAgentId: "main",
      terminalEnabled: false,
    });
  });
});

describe("resolveControlUiSite", () => {
  it("takes a relative root from the working directory and ~ from the home folder, as OpenClaw does", () => {
    expect(resolveControlUiSite({ config: { root: "dist/control-ui" } })).toEqual({
      root: resolve("dist/control-ui"),
      basePath: "",
      source: "configured",
    });
    expect(resolveControlUiSite({ config: { root: "~/ui", basePath: "/oc/" } })).toEqual({
      root: join(homedir(), "ui"),
      basePath: "/oc",
      source: "configured",
    });
  });

  it("falls back to the bundled UI, and serves none when disabled or when there is nothing to serve", () => {
    expect(resolveControlUiSite({ config: {}, bundledRoot: "/b" })).toEqual({
      root: "/b",
      basePath: "",
      source: "bundled",
    });
    expect(resolveControlUiSite({ config: { root: "/x", enabled: false } })).toBeUndefined();
    expect(resolveControlUiSite({ config: { root: "/x" }, enabledOverride: false })).toBeUndefined();
    expect(resolveControlUiSite({ config: {} })).toBeUndefined();
  });
});

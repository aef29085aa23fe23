/** Keys of OpenClaw's `browser` section this gateway does not act on, with what happens instead. */
const REMOTE = "profiles launch a local Chromium only; no remote or attached browser";

const UNSUPPORTED_PROFILE_KEYS: Readonly<Record<string, string>> = {
  attachOnly: REMOTE,
  cdpPort: "the CDP port is chosen by the OS on 127.0.0.1",
  cdpUrl: REMOTE,
  driver: 'every profile is a managed "openclaw" profile',
  mcpArgs: "no Chrome DevTools MCP attach",
  mcpCommand: "no Chrome DevTools MCP attach",
  userDataDir: "each agent's profile keeps its user data under <stateDir>/browser/<agent>/<profile>",
};

export const UNSUPPORTED_BROWSER_KEYS: Readonly<Record<string, string>> = {
  "browser.allowSystemProfileImport": "no cookie import from system browser profiles",
  "browser.attachOnly": REMOTE,
  "browser.cdpUrl": REMOTE,
  "browser.evaluateEnabled": "act:evaluate is not offered",
  "browser.extensionRelay": "no Chrome extension relay",
  "browser.snapshotDefaults": "snapshots use Playwright's AI format with refs",
  "browser.tabCleanup": "tabs stay open until the agent closes them or the browser stops",
  ...Object.fromEntries(
    Object.entries(UNSUPPORTED_PROFILE_KEYS).map(([key, instead]) => [`browser.profiles.*.${key}`, instead]),
  ),
};

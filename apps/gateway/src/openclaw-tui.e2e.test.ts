import { GatewayClient } from "@openclaw/client";
import { ensureOpenClawRelease } from "@openclaw/testing";
import { describe, expect, it } from "vitest";
import { createOpenClawClientHome, startCompatGateway } from "./openclaw-cli-support.js";
import { startOpenClawTui, tmuxAvailable } from "./openclaw-tui-support.js";

/**
 * OpenClaw's own terminal UI (`openclaw tui --url ... --token ...` from the real `openclaw@2026.9.6`) driven in tmux
 * against this gateway: it connects, shows the session, sends a message to the fake model and shows the answer,
 * sets the thinking level with `/think`, starts a fresh session with `/new`, and a second TUI started later shows that exchange as history.
 */
const found = await ensureOpenClawRelease();
const hasTmux = await tmuxAvailable();
if (!found.ok) console.warn(`skipping OpenClaw's TUI against this gateway: ${found.reason}`);
else if (!hasTmux) console.warn("skipping OpenClaw's TUI against this gateway: tmux is not installed");

const connected = (screen: string) => /\bconnected \| idle\b/.test(screen);

describe.skipIf(!found.ok || !hasTmux)("OpenClaw's TUI against this gateway", () => {
  it("connects, shows the main session, streams the model's answer, sets /think, starts /new, and shows the answer again as history", async () => {
    if (!found.ok) return;
    const gateway = await startCompatGateway();
    const client = await createOpenClawClientHome(gateway.server.url, gateway.token);
    const tuiArgs = ["tui", "--url", gateway.server.url, "--token", gateway.token];
    let newSessionKey = "";
    try {
      const first = await startOpenClawTui(found.release, client, tuiArgs);
      try {
        const opened = await first.waitFor(connected, "a connected, idle session");
        expect(opened).toContain(`openclaw tui - ${gateway.server.url} - agent main - session main`);
        expect(opened).not.toMatch(/failed|unknown method/i);

        await first.submit("hello from tmux");
        const answered = await first.waitFor(
          (screen) => screen.includes("You said: hello from tmux") && connected(screen),
          "the model's answer",
        );
        expect(answered).not.toContain("(no output)");
        expect(answered).not.toMatch(/failed|unknown method/i);

        // Its slash commands that change the session go through sessions.patch and show in its footer.
        await first.submit("/think high");
        const thinking = await first.waitFor(
          (screen) => screen.includes("thinking set to high"),
          "the new thinking level",
        );
        expect(thinking).toMatch(/agent main \| session main \| \S*instant high \|/);

        // `/new` starts a fresh session (sessions.create) that the next message goes to.
        await first.submit("/new");
        const fresh = await first.waitFor(
          (screen) => /new session: (?:agent:main:)?tui-[0-9a-f-]+/.test(screen),
          "a new session",
        );
        newSessionKey = `agent:main:${/new session: (?:agent:main:)?(tui-[0-9a-f-]+)/.exec(fresh)?.[1]}`;
        await first.submit("second chat");
        await first.waitFor(
          (screen) => screen.includes("You said: second chat") && connected(screen),
          "the answer in the new session",
        );
      } finally {
        await first.close();
      }

      // What the TUI showed is what the gateway stored.
      const operator = new GatewayClient({ url: gateway.server.url, token: gateway.token });
      await operator.connect();
      try {
        const history = await operator.request("chat.history", { sessionKey: "agent:main:main", limit: 10 });
        expect(history.messages.map((message) => message.role)).toEqual(["user", "assistant"]);
        const listed = await operator.request("sessions.list", {});
        expect(listed.sessions.find((row) => row.key === "agent:main:main")?.thinkingLevel).toBe("high");
        // One session for the TUI's `/new`, under the agent-scoped key the TUI uses, holding its exchange.
        expect(listed.sessions.map((row) => row.key).filter((key) => key.includes("tui-"))).toEqual([
          newSessionKey,
        ]);
        const fresh = await operator.request("chat.history", { sessionKey: newSessionKey, limit: 10 });
        expect(fresh.messages.map((message) => message.role)).toEqual(["user", "assistant"]);
      } finally {
        await operator.close();
      }

      // The TUI remembers the last session it showed; ask for the main one explicitly.
      const second = await startOpenClawTui(found.release, client, [...tuiArgs, "--session", "main"]);
      try {
        const reopened = await second.waitFor(
          (screen) => connected(screen) && screen.includes("You said: hello from tmux"),
          "the earlier exchange as history",
        );
        expect(reopened).toContain("hello from tmux");
      } finally {
        await second.close();
      }
    } finally {
      await client.remove();
      await gateway.close();
    }
  }, 420_000);
});

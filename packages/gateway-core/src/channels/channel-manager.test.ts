import { ChannelsStatusResultSchema } from "@openclaw/protocol";
import { describe, expect, it } from "vitest";
import {
  changes,
  config,
  createManager,
  dm,
  events,
  fakeChannel,
  inject,
  logs,
  sends,
} from "./channel-manager.test-support.js";
import { PluginRegistry } from "./plugin-registry.js";

describe("ChannelManager lifecycle", () => {
  it("starts only channels with a section and accounts not disabled, and reports them in the protocol's shape", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events);
    const beta = fakeChannel("beta", events);
    const gamma = fakeChannel("gamma", events);
    for (const fake of [alpha, beta, gamma]) registry.registerChannel(fake.plugin);
    config.channels = {
      alpha: { token: "t", accounts: { work: {}, spare: { enabled: false } } },
      beta: { enabled: false },
    };
    const manager = createManager(registry);
    await manager.start();

    expect(events.list.filter((e) => e.kind === "start")).toEqual([
      { kind: "start", channel: "alpha", accountId: "work" },
    ]);
    const status = await manager.status();
    expect(ChannelsStatusResultSchema.parse(status)).toEqual(status);
    expect(status.channelOrder).toEqual(["alpha", "beta"]);
    expect(status.channelLabels).toEqual({ alpha: "ALPHA chat", beta: "BETA chat" });
    expect(status.channelAccounts.alpha).toEqual([
      expect.objectContaining({
        accountId: "work",
        enabled: true,
        configured: true,
        running: true,
        connected: true,
      }),
      expect.objectContaining({ accountId: "spare", enabled: false, running: false }),
    ]);
    expect(status.channelAccounts.beta).toEqual([
      expect.objectContaining({ accountId: "default", enabled: false }),
    ]);
    expect(status.channels.alpha).toMatchObject({ configured: true, running: true, connected: true });
    expect(status.channelDefaultAccountId).toEqual({ alpha: "work", beta: "default" });
    const unconfigured = await manager.status({ channel: "gamma" });
    expect(unconfigured.channelAccounts.gamma).toEqual([]);
    expect(unconfigured.channels.gamma).toMatchObject({ configured: false, running: false });
    const work = status.channelAccounts.alpha?.[0];
    expect(work?.lastStartAt).toEqual(expect.any(Number));
    expect(work?.lastError).toBeNull();
  });

  it("does not start an account whose config the plugin rejects, and says why", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events);
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: { requiredKey: "nope" } };
    const manager = createManager(registry);
    await manager.start();
    expect(alpha.starts).toBe(0);
    const [account] = (await manager.status()).channelAccounts.alpha ?? [];
    expect(account).toMatchObject({ configured: false, running: false });
    expect(account?.lastError).toMatch(/config of channel "alpha" account "default" is invalid.*requiredKey/);
  });

  it("restarts a crashed account with exponential backoff up to the cap and shows lastError meanwhile", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events, {
      failStart: (call) => (call <= 4 ? new Error(`connection refused #${call}`) : undefined),
    });
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: {} };
    const manager = createManager(registry);
    await manager.start();
    const [afterFirst] = (await manager.status()).channelAccounts.alpha ?? [];
    expect(afterFirst).toMatchObject({
      running: false,
      lastError: "connection refused #1",
      reconnectAttempts: 1,
      lastStopAt: expect.any(Number),
    });

    await changes.waitFor((all) => all.some((c) => c.snapshot.connected), "the fifth start to connect");
    expect(alpha.starts).toBe(5);
    const delays = logs.filter((r) => r.msg.startsWith("channel account failed")).map((r) => r.delayMs);
    expect(delays).toEqual([5, 10, 20, 20]);
    const [recovered] = (await manager.status()).channelAccounts.alpha ?? [];
    // The adapter's own setStatus({ lastError: null }) cleared the error once it connected again.
    expect(recovered).toMatchObject({
      running: true,
      connected: true,
      lastError: null,
      reconnectAttempts: 4,
    });
  });

  it("treats a handle reporting 'disconnected with an error' as a crash: stops it and starts it again", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events);
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: {} };
    const manager = createManager(registry, { backoff: { initialMs: 5, maxMs: 20, resetAfterMs: 30 } });
    await manager.start();
    alpha.contexts
      .get("default")
      ?.setStatus({ connected: false, lastError: "409 Conflict: terminated by other getUpdates" });
    const [crashed] = (await manager.status()).channelAccounts.alpha ?? [];
    expect(crashed).toMatchObject({
      running: false,
      lastError: expect.stringContaining("409"),
      reconnectAttempts: 1,
    });
    await events.waitFor((all) => all.filter((e) => e.kind === "start").length === 2, "the restart");
    expect(events.list.map((e) => e.kind)).toEqual(["start", "stop", "start"]);
    // A healthy period resets the attempt counter.
    await changes.waitFor((all) => all.at(-1)?.snapshot.reconnectAttempts === 0, "the backoff reset");
  });

  it("stops within about a second even when the adapter's stop hangs, and aborts its signal", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events, { hangStop: true });
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: {} };
    const manager = createManager(registry);
    await manager.start();
    const signal = alpha.contexts.get("default")?.signal;
    const started = Date.now();
    const [stopped] = await manager.stopChannel("alpha");
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    // The 1 s stop deadline, not a hang: the upper bound is loose because timers fire late on a loaded CI machine.
    expect(elapsed).toBeLessThan(5_000);
    expect(signal?.aborted).toBe(true);
    expect(stopped).toMatchObject({ running: false, connected: false, lastStopAt: expect.any(Number) });
    expect(logs.some((r) => r.msg.includes("did not stop within 1000ms"))).toBe(true);
  });

  it("stops an account whose start never finishes, and explicit start brings a stopped account back", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events, { hangStart: true });
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: {} };
    const manager = createManager(registry, { startWaitMs: 20 });
    await manager.start();
    expect((await manager.status()).channelAccounts.alpha?.[0]).toMatchObject({
      running: true,
      connected: false,
    });
    await manager.stopChannel("alpha");
    expect((await manager.status()).channelAccounts.alpha?.[0]).toMatchObject({ running: false });
    alpha.behaviour.hangStart = false;
    const [again] = await manager.startChannel("alpha", "default");
    expect(again).toMatchObject({ running: true, connected: true });
    await expect(manager.startChannel("alpha", "nope")).rejects.toMatchObject({
      code: "CHANNEL_ACCOUNT_UNKNOWN",
    });
    await expect(manager.startChannel("zeta")).rejects.toMatchObject({ code: "CHANNEL_UNKNOWN" });
  });

  it("probes each account under a timeout", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events, {
      probe: (accountId) =>
        accountId === "slow"
          ? new Promise(() => undefined)
          : Promise.resolve({ ok: true, detail: "bot @alpha" }),
    });
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: { accounts: { fast: {}, slow: {} } } };
    const manager = createManager(registry);
    await manager.start();
    const status = await manager.status({ probe: true, timeoutMs: 50 });
    expect(status.channelAccounts.alpha?.map((a) => [a.accountId, a.probe])).toEqual([
      ["fast", { ok: true, detail: "bot @alpha" }],
      ["slow", { ok: false, detail: "probe timed out after 50ms" }],
    ]);
    const plain = await manager.status({ channel: "alpha" });
    expect(plain.channelOrder).toEqual(["alpha"]);
    expect(plain.channelAccounts.alpha?.[0]?.probe).toBeUndefined();
  });

  it("keeps one channel running when another throws everywhere", async () => {
    const registry = new PluginRegistry();
    const broken = fakeChannel("broken", events, { failStart: () => new Error("bad token"), failSend: true });
    const good = fakeChannel("good", events);
    registry.registerChannel(broken.plugin);
    registry.registerChannel({
      id: "missing",
      meta: { label: "Missing" },
      load: async () => {
        throw new Error("Cannot find package 'platform-lib'");
      },
    });
    registry.registerChannel(good.plugin);
    config.channels = { broken: {}, missing: {}, good: { dmPolicy: "open", allowFrom: ["*"] } };
    const manager = createManager(registry);
    await manager.start();
    const status = await manager.status();
    expect(status.channelAccounts.broken?.[0]).toMatchObject({ running: false, lastError: "bad token" });
    expect(status.channelAccounts.missing?.[0]?.lastError).toMatch(
      /failed to load: Cannot find package 'platform-lib'/,
    );
    expect(status.channelAccounts.good?.[0]).toMatchObject({ running: true, connected: true });
    inject(good, dm("good", "1", "still here?"));
    await events.waitFor(
      (all) => all.some((e) => e.kind === "send" && e.channel === "good"),
      "the good reply",
    );
    expect(sends("good").map((s) => s.text)).toEqual(["echo: still here?"]);
  });

  it("logout stops the account and asks the plugin to forget it", async () => {
    const registry = new PluginRegistry();
    const alpha = fakeChannel("alpha", events);
    registry.registerChannel(alpha.plugin);
    config.channels = { alpha: {} };
    const manager = createManager(registry);
    await manager.start();
    expect(await manager.logout("alpha")).toEqual({
      channel: "alpha",
      accountIds: ["default"],
      cleared: true,
    });
    expect(events.list.map((e) => e.kind)).toEqual(["start", "stop", "logout"]);
  });
});

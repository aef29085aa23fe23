import type { ChannelAccountContext } from "@openclaw/plugin-sdk";
import { CliError } from "../cli-error.js";
import type { Output } from "../output.js";

const LOGIN_TIMEOUT_MS = 3 * 60_000;

/** What `channels login` needs from a channel that links by QR code (WhatsApp today). */
export interface QrLoginPlugin {
  id: string;
  configSchema: {
    safeParse(value: unknown): { success: boolean; data?: unknown; error?: { message: string } };
  };
  startAccount(context: ChannelAccountContext<never>): Promise<{ stop(): Promise<void> }>;
  onQr(accountId: string, listener: (qr: string) => void): () => void;
}

export interface LoginDependencies {
  plugin: QrLoginPlugin;
  renderQr(qr: string): string;
  /** The channel's config section from openclaw.json (may be undefined). */
  section: unknown;
  timeoutMs?: number;
}

async function whatsappDependencies(): Promise<LoginDependencies> {
  const gateway = await import("@openclaw/gateway");
  const loaded = await gateway.loadConfig(gateway.resolveConfigPaths().configPath);
  // @openclaw/channel-whatsapp is an optional peer: the gateway's loader turns its absence into the npm command.
  const plugin = await gateway
    .createFirstPartyPlugins()
    .getChannel("whatsapp")
    .catch((error: unknown) => {
      throw new CliError(error instanceof Error ? error.message : String(error));
    });
  const whatsapp = await import("@openclaw/channel-whatsapp");
  return {
    plugin: plugin as unknown as QrLoginPlugin,
    renderQr: whatsapp.renderQrForTerminal,
    section: (loaded.config.channels as Record<string, unknown> | undefined)?.whatsapp,
  };
}

/**
 * `openclaw channels login <channel>`: links this gateway as a device by showing the platform's QR code in the
 * terminal, waits until the phone has scanned it, saves the credentials and exits. Run it while the gateway's own
 * account for that channel is stopped (`openclaw channels stop whatsapp`), or before the first start.
 */
export async function runChannelsLogin(
  channel: string,
  options: { account?: string },
  output: Output,
  dependencies?: LoginDependencies,
): Promise<number> {
  if (channel !== "whatsapp") {
    throw new CliError(
      `channel "${channel}" has nothing to log in to: it is configured with a token in openclaw.json (see \`openclaw config --section ${channel}\`)`,
      2,
    );
  }
  const deps = dependencies ?? (await whatsappDependencies());
  const accountId = options.account ?? "default";
  const section = (deps.section ?? {}) as Record<string, unknown>;
  const accounts = (section.accounts ?? {}) as Record<string, unknown>;
  const { accounts: _accounts, ...base } = section;
  const raw = { ...base, ...((accounts[accountId] as Record<string, unknown> | undefined) ?? {}) };
  const parsed = deps.plugin.configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new CliError(`channels.${channel} is invalid: ${parsed.error?.message ?? "check the config"}`);
  }

  const controller = new AbortController();
  let resolveLinked: () => void = () => undefined;
  let rejectLinked: (error: Error) => void = () => undefined;
  const linked = new Promise<void>((resolve, reject) => {
    resolveLinked = resolve;
    rejectLinked = reject;
  });
  const unsubscribe = deps.plugin.onQr(accountId, (qr) => {
    output.out(deps.renderQr(qr));
    output.out("Scan this code with WhatsApp on your phone: Settings > Linked devices > Link a device.");
  });
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  output.out(`Linking ${channel} account "${accountId}"…`);
  const timer = setTimeout(
    () =>
      rejectLinked(
        new CliError(
          `no phone linked within ${Math.round((deps.timeoutMs ?? LOGIN_TIMEOUT_MS) / 1000)}s; run the command again`,
        ),
      ),
    deps.timeoutMs ?? LOGIN_TIMEOUT_MS,
  );
  let handle: { stop(): Promise<void> } | undefined;
  try {
    handle = await deps.plugin.startAccount({
      accountId,
      config: parsed.data as never,
      logger: quiet,
      signal: controller.signal,
      onInbound: () => undefined,
      setStatus: (patch) => {
        if (patch.connected) resolveLinked();
        else if (patch.lastError) rejectLinked(new CliError(patch.lastError));
      },
    });
    await linked;
    output.out(
      `Linked: ${channel} account "${accountId}" is ready. Start the gateway (or \`openclaw channels start ${channel}\`).`,
    );
    return 0;
  } finally {
    clearTimeout(timer);
    unsubscribe();
    controller.abort();
    await handle?.stop().catch(() => undefined);
  }
}

import type { ChannelAccountSnapshot, ChannelsStatusResult } from "@openclaw/protocol";

/** One line of the startup box: a check mark for what works, a cross for what failed, a dot for what is off. */
export interface StartupLine {
  mark?: "ok" | "failed" | "off" | "warn";
  label: string;
  value: string;
}

const MARKS = { ok: "✓", failed: "✗", off: "○", warn: "!" } as const;

/** The box `openclaw gateway` prints once it listens: status lines first, then where things are. */
export function startupBox(title: string, lines: StartupLine[]): string {
  const labelWidth = Math.max(...lines.filter((line) => line.value).map((line) => line.label.length));
  const body = lines.map((line) => {
    const mark = line.mark ? MARKS[line.mark] : " ";
    const label = line.value ? line.label.padEnd(labelWidth) : line.label;
    return `│ ${mark} ${label}${line.value ? `  ${line.value}` : ""}`;
  });
  const width = Math.max(title.length + 4, ...body.map((line) => line.length)) + 1;
  return [
    `┌─ ${title} ${"─".repeat(Math.max(0, width - title.length - 4))}`,
    ...body,
    `└${"─".repeat(width - 1)}`,
  ].join("\n");
}

const MAX_ERROR_CHARS = 100;

/** Started and, where the adapter reports it, connected to its platform (a started poller may still fail). */
function isUp(account: ChannelAccountSnapshot): boolean {
  return account.running === true && account.connected !== false;
}

/**
 * `Channels: N running`, from the channel manager's status once the configured accounts have had their chance to
 * connect. A failed account is named with its error (shortened; `channels status` has the rest).
 */
export function channelsLine(status: ChannelsStatusResult, cli: string): StartupLine {
  const accounts = Object.entries(status.channelAccounts).flatMap(([channel, list]) =>
    list.filter((a) => a.configured !== false && a.enabled !== false).map((a) => ({ channel, ...a })),
  );
  if (accounts.length === 0) {
    return {
      mark: "off",
      label: `Channels: 0 running (none configured: \`${cli} config --section channels\` adds one)`,
      value: "",
    };
  }
  const running = accounts.filter(isUp);
  const failed = accounts.filter((a) => !isUp(a) && a.lastError);
  const starting = accounts.length - running.length - failed.length;
  const name = (a: { channel: string; accountId: string }) =>
    a.accountId === "default" ? a.channel : `${a.channel}/${a.accountId}`;
  const parts: string[] = [];
  if (running.length > 0) parts.push(running.map(name).join(", "));
  if (starting > 0) parts.push(`${starting} still connecting`);
  for (const a of failed) {
    const error = String(a.lastError);
    parts.push(
      `${name(a)} failed: ${error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS)}…` : error}`,
    );
  }
  return {
    mark: failed.length > 0 ? "failed" : running.length > 0 ? "ok" : "warn",
    label: `Channels: ${running.length} running (${parts.join("; ")})`,
    value: "",
  };
}

/** Waits until no configured account is still starting, or `budgetMs` passes; channels keep connecting after. */
export async function settledChannelsStatus(
  status: () => Promise<ChannelsStatusResult>,
  budgetMs: number,
  pollMs = 100,
): Promise<ChannelsStatusResult> {
  const deadline = Date.now() + budgetMs;
  for (;;) {
    const current = await status();
    const pending = Object.values(current.channelAccounts)
      .flat()
      .some((a) => a.configured !== false && a.enabled !== false && !isUp(a) && !a.lastError);
    if (!pending || Date.now() >= deadline) return current;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

import type { ChannelsPairingListResult, ChannelsStatusResult } from "@openclaw/protocol";
import { CliError } from "../cli-error.js";
import { cliCommand } from "../cli-invocation.js";
import { callGateway, type TargetOptions } from "../gateway-target.js";
import { formatAge, formatTable, type Output, printJson } from "../output.js";

interface ReadOptions extends TargetOptions {
  json?: boolean;
}

function accountStatus(account: {
  running?: boolean;
  connected?: boolean;
  enabled?: boolean;
  lastError?: unknown;
}) {
  if (account.enabled === false) return "disabled";
  if (account.connected) return "connected";
  if (account.running) return "starting";
  return account.lastError ? "error" : "stopped";
}

/** `openclaw channels status`: one row per channel account, like the public quickstart shows. */
export async function runChannelsStatus(options: ReadOptions & { probe?: boolean }, output: Output) {
  const status = (await callGateway(options, "channels.status", {
    probe: options.probe === true,
    timeoutMs: 10_000,
  })) as ChannelsStatusResult;
  if (options.json) {
    printJson(output, status);
    return 0;
  }
  const rows: string[][] = [];
  for (const channel of status.channelOrder) {
    const accounts = status.channelAccounts[channel] ?? [];
    const label = status.channelLabels[channel] ?? channel;
    if (accounts.length === 0) rows.push([label, "not configured", "-", "-"]);
    for (const account of accounts) {
      const probe = (account as { probe?: { ok: boolean; detail?: string } }).probe;
      const state = accountStatus(account) + (probe ? ` (probe ${probe.ok ? "ok" : "failed"})` : "");
      const lastError = account.lastError ?? (probe && !probe.ok ? probe.detail : undefined);
      rows.push([label, state, account.accountId, lastError ? String(lastError) : "-"]);
    }
  }
  output.out(
    rows.length === 0
      ? `no channels are configured: add one with \`${cliCommand()} config --section channels\``
      : formatTable(["Channel", "Status", "Account", "Last Error"], rows),
  );
  return 0;
}

export async function runChannelsToggle(
  action: "start" | "stop" | "logout",
  channel: string,
  options: ReadOptions & { account?: string },
  output: Output,
) {
  const params = options.account ? { channel, accountId: options.account } : { channel };
  const result = (await callGateway(options, `channels.${action}`, params)) as { accountIds: string[] };
  if (options.json) printJson(output, result);
  else output.out(`channels.${action}: ${channel} (${result.accountIds.join(", ") || "no accounts"})`);
  return 0;
}

export async function runPairing(
  action: string,
  channel: string | undefined,
  code: string | undefined,
  options: ReadOptions & { account?: string; notify?: boolean },
  output: Output,
) {
  if (action === "list") {
    const result = (await callGateway(
      options,
      "channels.pairing.list",
      channel ? { channel } : {},
    )) as ChannelsPairingListResult;
    if (options.json) {
      printJson(output, result);
      return 0;
    }
    if (result.requests.length === 0) {
      output.out("no pending pairing requests");
      return 0;
    }
    output.out(
      formatTable(
        ["Channel", "Code", "Sender", "Account", "Asked", "Expires"],
        result.requests.map((request) => [
          request.channelLabel,
          request.requestId,
          `${request.senderLabel} (${request.senderId})`,
          request.accountId,
          formatAge(Date.parse(request.createdAt)),
          request.expiresAt.slice(0, 16).replace("T", " "),
        ]),
      ),
    );
    return 0;
  }
  if (action === "approve") {
    if (!channel || !code) throw new CliError("usage: openclaw pairing approve <channel> <code>", 2);
    const result = (await callGateway(options, "channels.pairing.approve", {
      channel,
      requestId: code,
      ...(options.account ? { accountId: options.account } : {}),
      ...(options.notify ? { notify: true } : {}),
    })) as { senderId: string; notification: string };
    if (options.json) printJson(output, result);
    else
      output.out(
        `approved ${result.senderId} on ${channel}${options.notify ? ` (notification ${result.notification})` : ""}`,
      );
    return 0;
  }
  throw new CliError(`unknown pairing action "${action}": use list or approve`, 2);
}

import type { ChannelsStatusResult } from "@openclaw/protocol";
import { channelLinkHint } from "../channel-link-hint.js";
import { formatTimestamp } from "../duration-format.js";
import { button, h, replaceChildren } from "../element-builder.js";
import { errorMessage } from "../error-message.js";
import { createQrLinkPanel, type QrLinkPanel } from "../qr-link-panel.js";
import type { Screen, ScreenContext } from "../screen.js";
import { StatusLine } from "../status-line.js";

const yesNo = (value: boolean | undefined): string => (value === undefined ? "—" : value ? "yes" : "no");

export function renderChannelsScreen(context: ScreenContext): Screen {
  const { client } = context;
  const status = new StatusLine("channels");
  const body = h("tbody");
  const notes = h("div", { class: "notes", "data-testid": "channels-notes" });
  let disposed = false;
  /** Kept across refreshes, so a QR code on screen survives the status reload. */
  const qrPanels = new Map<string, QrLinkPanel>();
  const qrPanel = (channel: string, label: string, accountId: string, command: string): QrLinkPanel => {
    const key = `${channel}\u0000${accountId}`;
    let panel = qrPanels.get(key);
    if (panel === undefined) {
      panel = createQrLinkPanel({
        client,
        label,
        accountId,
        command,
        onLinked: (message) => {
          void load(false).then(() => {
            if (!disposed) status.info(`${label} account "${accountId}" is linked. ${message}`);
          });
        },
      });
      qrPanels.set(key, panel);
    }
    return panel;
  };

  const load = async (probe: boolean): Promise<void> => {
    status.info(probe ? "Probing channels…" : "Loading…");
    try {
      const result = await client.request("channels.status", probe ? { probe: true } : {});
      if (disposed) return;
      render(result);
      status.info(`Updated ${new Date().toLocaleTimeString()}${probe ? " (probed)" : ""}`);
    } catch (error) {
      if (!disposed) status.error(errorMessage(error));
    }
  };

  const act = async (method: "channels.start" | "channels.stop", channel: string, accountId: string) => {
    status.info(`${method === "channels.start" ? "Starting" : "Stopping"} ${channel}/${accountId}…`);
    try {
      await client.request(method, { channel, accountId });
      await load(false);
    } catch (error) {
      if (!disposed) status.error(errorMessage(error));
    }
  };

  const render = (result: ChannelsStatusResult): void => {
    const rows: HTMLTableRowElement[] = [];
    const noteItems: HTMLElement[] = [];
    for (const channel of result.channelOrder) {
      const label = result.channelLabels[channel] ?? channel;
      const accounts = result.channelAccounts[channel] ?? [];
      if (accounts.length === 0) {
        rows.push(
          h(
            "tr",
            { "data-testid": `channel-row-${channel}` },
            h("th", { scope: "row" }, label),
            h("td", { colspan: 6 }, "No accounts configured"),
          ),
        );
      }
      for (const account of accounts) {
        const name = account.name ? `${account.accountId} (${account.name})` : account.accountId;
        rows.push(
          h(
            "tr",
            { "data-testid": `channel-row-${channel}-${account.accountId}` },
            h("th", { scope: "row" }, label),
            h("td", {}, name),
            h("td", {}, yesNo(account.running)),
            h("td", {}, yesNo(account.connected)),
            h("td", {}, formatTimestamp(account.lastStartAt)),
            h("td", { class: "error-cell" }, account.lastError ?? ""),
            h(
              "td",
              { class: "actions" },
              button("Start", { "aria-label": `Start ${label} ${account.accountId}` }, () => {
                void act("channels.start", channel, account.accountId);
              }),
              button("Stop", { "aria-label": `Stop ${label} ${account.accountId}` }, () => {
                void act("channels.stop", channel, account.accountId);
              }),
            ),
          ),
        );
        const hint = channelLinkHint(channel, account);
        if (hint?.kind === "qr") {
          noteItems.push(
            h(
              "figure",
              { "data-testid": `whatsapp-qr-${account.accountId}` },
              h("img", { src: hint.imageUrl, alt: `WhatsApp QR code for account ${account.accountId}` }),
              h("figcaption", {}, "Scan with WhatsApp > Linked devices > Link a device."),
            ),
          );
        } else if (hint?.kind === "login-command") {
          noteItems.push(qrPanel(channel, label, account.accountId, hint.command).element);
        }
      }
    }
    if (rows.length === 0) {
      rows.push(h("tr", {}, h("td", { colspan: 7 }, "No channels are configured.")));
    }
    replaceChildren(body, ...rows);
    replaceChildren(notes, ...noteItems);
  };

  void load(false);
  const element = h(
    "section",
    { "aria-labelledby": "channels-title", "data-testid": "screen-channels" },
    h("h2", { id: "channels-title" }, "Channels"),
    h(
      "div",
      { class: "toolbar" },
      button("Refresh", { "data-testid": "channels-refresh" }, () => void load(false)),
      button("Probe", { "data-testid": "channels-probe" }, () => void load(true)),
    ),
    h(
      "table",
      { "data-testid": "channels-table" },
      h("caption", {}, "Channel accounts"),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ...["Channel", "Account", "Running", "Connected", "Last start", "Last error", "Actions"].map(
            (title) => h("th", { scope: "col" }, title),
          ),
        ),
      ),
      body,
    ),
    notes,
    status.element,
  );
  return {
    element,
    dispose: () => {
      disposed = true;
      for (const panel of qrPanels.values()) panel.dispose();
    },
  };
}

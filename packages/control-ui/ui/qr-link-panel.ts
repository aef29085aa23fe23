import type { GatewayClient } from "@openclaw/client";
import { button, h } from "./element-builder.js";
import { QR_WAIT_TIMEOUT_MS, type QrLinkView, runQrLink } from "./qr-link-flow.js";

/** The client waits a little longer than the gateway holds a `web.login.wait`, so the gateway answers first. */
const REQUEST_SLACK_MS = 10_000;

export interface QrLinkPanel {
  element: HTMLElement;
  dispose(): void;
}

/**
 * "Link with QR code" for one unlinked account: asks the gateway for a code (`web.login.*`), shows it as an image
 * and follows rotations until the phone has scanned it. It lives across table refreshes so a refresh does not drop
 * the code on screen; `onLinked` lets the screen reload the channel status.
 */
export function createQrLinkPanel(options: {
  client: GatewayClient;
  label: string;
  accountId: string;
  /** The CLI command that does the same on the gateway host. */
  command: string;
  onLinked(message: string): void;
}): QrLinkPanel {
  const { client, label, accountId } = options;
  let controller: AbortController | undefined;
  const image = h("img", {
    alt: `${label} QR code for account ${accountId}`,
    "data-testid": `qr-image-${accountId}`,
  });
  const caption = h("figcaption", {});
  const figure = h("figure", { hidden: true }, image, caption);
  const state = h("p", { role: "status", class: "note", "data-testid": `qr-status-${accountId}` });
  const linkButton = button(
    "Link with QR code",
    { "aria-label": `Link ${label} ${accountId} with QR code`, "data-testid": `qr-link-${accountId}` },
    () => void link(),
  );

  const show = (view: QrLinkView): void => {
    state.classList.toggle("error", view.kind === "failed");
    state.setAttribute("role", view.kind === "failed" ? "alert" : "status");
    switch (view.kind) {
      case "starting":
        state.textContent = "Asking the gateway for a QR code…";
        return;
      case "waiting":
        state.textContent = view.message;
        return;
      case "qr":
        image.src = view.imageUrl;
        caption.textContent = view.message;
        figure.hidden = false;
        state.textContent = "Waiting for the scan…";
        return;
      case "linked":
        figure.hidden = true;
        state.textContent = `Linked: ${view.message}`;
        options.onLinked(view.message);
        return;
      case "failed":
        figure.hidden = true;
        state.textContent = view.message;
        linkButton.disabled = false;
        return;
    }
  };

  const link = async (): Promise<void> => {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    linkButton.disabled = true;
    await runQrLink({
      accountId,
      signal: current.signal,
      onView: show,
      requests: {
        start: (params) =>
          client.request("web.login.start", params, { timeoutMs: params.timeoutMs + REQUEST_SLACK_MS }),
        wait: (params) =>
          client.request("web.login.wait", params, { timeoutMs: QR_WAIT_TIMEOUT_MS + REQUEST_SLACK_MS }),
      },
    });
  };

  const element = h(
    "div",
    { class: "qr-link", "data-testid": `whatsapp-login-note-${accountId}` },
    h(
      "p",
      { class: "note" },
      `${label} account "${accountId}" is not linked. `,
      linkButton,
      " or run ",
      h("code", {}, options.command),
      " on the gateway host and scan the QR code it prints.",
    ),
    figure,
    state,
  );
  return {
    element,
    dispose: () => {
      controller?.abort();
    },
  };
}

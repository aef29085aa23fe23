import { h, replaceChildren } from "./element-builder.js";
import {
  clipText,
  formatToolPayload,
  TOOL_STATUS_LABELS,
  type ToolCall,
  toolCallSummary,
} from "./tool-call.js";

/** What a payload shows before "Show more": a screenful, so a long result does not bury the conversation. */
export const PAYLOAD_PREVIEW_CHARS = 2_000;

let cardCounter = 0;

/**
 * A tool call in the chat: a button with the tool's name, a one-line summary of its args and its status, which
 * expands (`aria-expanded`) to the pretty-printed args and result. The card is updated in place as events arrive, so
 * it keeps its open state and focus.
 */
export class ToolCallCard {
  readonly element: HTMLDivElement;
  readonly #toggle: HTMLButtonElement;
  readonly #name = h("span", { class: "tool-name" });
  readonly #summary = h("span", { class: "tool-summary", "data-testid": "tool-call-summary" });
  readonly #status = h("span", { class: "tool-status", "data-testid": "tool-call-status" });
  readonly #details: HTMLDivElement;
  readonly #args: PayloadBlock;
  readonly #result: PayloadBlock;

  constructor() {
    cardCounter += 1;
    const detailsId = `tool-call-details-${cardCounter}`;
    this.#args = new PayloadBlock("Arguments", "tool-call-args", `${detailsId}-args`);
    this.#result = new PayloadBlock("Result", "tool-call-result", `${detailsId}-result`);
    this.#toggle = h(
      "button",
      { type: "button", class: "tool-call-toggle", "aria-expanded": "false", "aria-controls": detailsId },
      this.#name,
      this.#summary,
      this.#status,
    );
    this.#details = h(
      "div",
      { id: detailsId, class: "tool-call-details", "data-testid": "tool-call-details", hidden: true },
      this.#args.element,
      this.#result.element,
    );
    this.#toggle.addEventListener("click", () => {
      const open = this.#details.hidden;
      this.#details.hidden = !open;
      this.#toggle.setAttribute("aria-expanded", String(open));
    });
    this.element = h("div", { class: "tool-call", "data-testid": "tool-call" }, this.#toggle, this.#details);
  }

  update(call: ToolCall): void {
    this.element.dataset.status = call.status;
    this.element.dataset.toolName = call.name;
    this.#name.textContent = call.name;
    this.#summary.textContent = toolCallSummary(call.args);
    this.#status.textContent = TOOL_STATUS_LABELS[call.status];
    this.#args.show(call.args === undefined ? undefined : formatToolPayload(call.args));
    const result = call.status === "running" ? call.partialResult : call.result;
    this.#result.setTitle(
      call.status === "running" ? "Output so far" : call.status === "error" ? "Error" : "Result",
    );
    this.#result.show(result === undefined ? undefined : formatToolPayload(result));
  }
}

/** A titled `<pre>` that shows the first {@link PAYLOAD_PREVIEW_CHARS} characters and a "Show more" for the rest. */
class PayloadBlock {
  readonly element: HTMLDivElement;
  readonly #title: HTMLElement;
  readonly #pre: HTMLPreElement;
  readonly #more: HTMLButtonElement;
  #text = "";
  #expanded = false;

  constructor(title: string, testId: string, id: string) {
    this.#title = h("p", { class: "tool-payload-title" }, title);
    this.#pre = h("pre", { id, class: "tool-payload", "data-testid": testId });
    this.#more = h("button", {
      type: "button",
      class: "link",
      "aria-expanded": "false",
      "aria-controls": id,
      "data-testid": `${testId}-more`,
      hidden: true,
    });
    this.#more.addEventListener("click", () => {
      this.#expanded = !this.#expanded;
      this.#render();
    });
    this.element = h(
      "div",
      { class: "tool-payload-block", hidden: true },
      this.#title,
      this.#pre,
      this.#more,
    );
  }

  setTitle(title: string): void {
    this.#title.textContent = title;
  }

  show(text: string | undefined): void {
    this.element.hidden = text === undefined;
    if (text === undefined || text === this.#text) return;
    this.#text = text;
    this.#render();
  }

  #render(): void {
    const { shown, hiddenChars } = clipText(this.#text, PAYLOAD_PREVIEW_CHARS);
    replaceChildren(this.#pre, this.#expanded ? this.#text : shown);
    this.#more.hidden = hiddenChars === 0;
    this.#more.setAttribute("aria-expanded", String(this.#expanded));
    this.#more.textContent =
      hiddenChars === 0 ? "" : this.#expanded ? "Show less" : `Show more (${hiddenChars} more characters)`;
  }
}

import { describeChip } from "./chat-attachments.js";
import type { ChatEntry } from "./chat-transcript.js";
import { h, syncChildren } from "./element-builder.js";
import { ToolCallCard } from "./tool-call-card.js";

/**
 * The chat transcript as a list that is updated in place: each entry keeps its element across renders (a streamed
 * delta touches one text node), so an expanded tool card stays open and keeps the keyboard focus.
 */
export class ChatLogView {
  readonly element: HTMLOListElement;
  readonly #messages = new WeakMap<ChatEntry, MessageView>();

  constructor() {
    this.element = h("ol", {
      class: "transcript",
      role: "log",
      "aria-live": "polite",
      "data-testid": "chat-transcript",
    });
  }

  render(entries: readonly ChatEntry[]): void {
    const before = this.element.lastElementChild;
    syncChildren(
      this.element,
      entries.map((entry) => {
        let view = this.#messages.get(entry);
        if (view === undefined) {
          view = new MessageView();
          this.#messages.set(entry, view);
        }
        view.update(entry);
        return view.element;
      }),
    );
    // Follow the conversation as it grows, but leave the reader where they are when only a card opened.
    if (this.element.lastElementChild !== before || entries.at(-1)?.status === "streaming") {
      this.element.lastElementChild?.scrollIntoView({ block: "end" });
    }
  }
}

class MessageView {
  readonly element = h("li", {});
  readonly #role = h("span", { class: "role" });
  readonly #tools = h("div", { class: "tool-calls" });
  readonly #text = h("p", { class: "text" });
  readonly #attachments = h("ul", { class: "attachments", hidden: true });
  readonly #stopped = h("p", { class: "note", hidden: true }, "Stopped.");
  readonly #error = h("p", { class: "error", role: "alert", hidden: true });
  readonly #cards = new Map<string, ToolCallCard>();

  constructor() {
    this.element.append(this.#role, this.#tools, this.#text, this.#attachments, this.#stopped, this.#error);
  }

  update(entry: ChatEntry): void {
    this.element.className = `message ${entry.role} ${entry.status}`;
    this.element.dataset.testid = `chat-${entry.role}`;
    this.element.dataset.status = entry.status;
    this.#role.textContent = entry.role === "user" ? "You" : "Assistant";
    if (this.#text.textContent !== entry.text) this.#text.textContent = entry.text;
    const chips = entry.attachments ?? [];
    this.#attachments.hidden = chips.length === 0;
    if (this.#attachments.childElementCount !== chips.length) {
      this.#attachments.replaceChildren(
        ...chips.map((chip) =>
          h("li", { class: `attachment ${chip.kind}`, "data-testid": "chat-attachment" }, describeChip(chip)),
        ),
      );
    }
    this.#stopped.hidden = entry.status !== "aborted";
    this.#error.hidden = !entry.errorMessage;
    this.#error.textContent = entry.errorMessage ?? "";
    const tools = entry.tools ?? [];
    this.#tools.hidden = tools.length === 0;
    syncChildren(
      this.#tools,
      tools.map((call) => {
        let card = this.#cards.get(call.toolCallId);
        if (card === undefined) {
          card = new ToolCallCard();
          this.#cards.set(call.toolCallId, card);
        }
        card.update(call);
        return card.element;
      }),
    );
  }
}

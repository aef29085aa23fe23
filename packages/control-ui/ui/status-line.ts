import { h } from "./element-builder.js";

/**
 * A live region for a screen's outcome messages: `role="status"` for progress and success, and an error paragraph
 * with `role="alert"` so screen readers announce failures.
 */
export class StatusLine {
  readonly element: HTMLDivElement;
  readonly #status: HTMLParagraphElement;
  readonly #error: HTMLParagraphElement;

  constructor(testId: string) {
    this.#status = h("p", { role: "status", class: "status", "data-testid": `${testId}-status` });
    this.#error = h("p", { role: "alert", class: "error", "data-testid": `${testId}-error`, hidden: true });
    this.element = h("div", { class: "status-line" }, this.#status, this.#error);
  }

  info(text: string): void {
    this.#status.textContent = text;
    this.#error.hidden = true;
    this.#error.textContent = "";
  }

  error(text: string): void {
    this.#status.textContent = "";
    this.#error.textContent = text;
    this.#error.hidden = false;
  }

  clear(): void {
    this.info("");
  }
}

export type Child = Node | string | null | undefined | false;
export type Attributes = Record<string, string | number | boolean | null | undefined>;

/**
 * Creates an element with attributes and children. Text children become text nodes (never parsed as HTML), and
 * event handlers are attached with `addEventListener` by the caller: the CSP forbids inline handlers.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

export function button(
  label: string,
  attributes: Attributes,
  onClick: (event: MouseEvent) => void,
): HTMLButtonElement {
  const element = h("button", { type: "button", ...attributes }, label);
  element.addEventListener("click", onClick);
  return element;
}

/**
 * Makes `parent`'s children exactly `children`, in order, moving only what is out of place: an element left where it
 * was keeps its focus and state (a re-render must not take the keyboard focus away from an expanded tool card).
 */
export function syncChildren(parent: Element, children: readonly Element[]): void {
  children.forEach((child, index) => {
    const current = parent.children.item(index);
    if (current !== child) parent.insertBefore(child, current);
  });
  while (parent.children.length > children.length) parent.lastElementChild?.remove();
}

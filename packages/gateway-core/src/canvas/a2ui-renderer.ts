/**
 * A small A2UI renderer served as OpenClaw's renderer bundles (`/__openclaw__/a2ui/a2ui.bundle.js` and
 * `a2ui-v0.9.bundle.js`). It defines `<openclaw-a2ui-host>` and renders the messages of
 * `globalThis.openclawA2UIBoot.messages` (OpenClaw's widget documents) or of the JSONL file its `src` attribute names,
 * and `globalThis.openclawA2UI.push(messages)` renders more. Both dialects are read: v0.8 (`surfaceUpdate`,
 * `dataModelUpdate`, `beginRendering`, `deleteSurface`) and v0.9 (`createSurface`, `updateComponents`,
 * `updateDataModel`, `deleteSurface`). Components: Text, Heading, Column, Row, List, Card, Button, Image, Divider,
 * TextField (read-only display), CheckBox; any other type is shown as a labelled placeholder. Text is always set as
 * text, never parsed as HTML; images load only http(s), relative or data:image URLs. Button actions are posted to
 * the parent frame as `{ type: "openclaw:a2ui:action", name, surfaceId, componentId }`.
 */
export const A2UI_RENDERER_SCRIPT = String.raw`(() => {
  const surfaces = new Map();
  const hosts = new Set();
  const pointer = (model, path) => {
    if (typeof path !== "string") return undefined;
    let value = model;
    for (const part of path.replace(/^\//, "").split("/").filter(Boolean)) {
      if (value === null || typeof value !== "object") return undefined;
      value = value[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    }
    return value;
  };
  const resolve = (surface, value) => {
    if (value === null || value === undefined) return undefined;
    if (typeof value !== "object") return value;
    if ("literalString" in value) return value.literalString;
    if ("literalNumber" in value) return value.literalNumber;
    if ("literalBoolean" in value) return value.literalBoolean;
    if ("path" in value) return pointer(surface.model, value.path);
    return undefined;
  };
  const v08Value = (entry) => {
    if ("valueString" in entry) return entry.valueString;
    if ("valueNumber" in entry) return entry.valueNumber;
    if ("valueBoolean" in entry) return entry.valueBoolean;
    if (Array.isArray(entry.valueMap)) {
      const object = {};
      for (const child of entry.valueMap) object[child.key] = v08Value(child);
      return object;
    }
    return undefined;
  };
  const setAt = (model, path, value) => {
    const parts = String(path || "").replace(/^\//, "").split("/").filter(Boolean);
    if (parts.length === 0) return value;
    let target = model && typeof model === "object" ? model : {};
    const root = target;
    for (const part of parts.slice(0, -1)) {
      if (!target[part] || typeof target[part] !== "object") target[part] = {};
      target = target[part];
    }
    target[parts[parts.length - 1]] = value;
    return root;
  };
  const surfaceFor = (id) => {
    if (!surfaces.has(id)) surfaces.set(id, { id, components: new Map(), model: {}, root: undefined });
    return surfaces.get(id);
  };
  const normalise = (entry) => {
    if (typeof entry.component === "string") {
      const { id, component, ...props } = entry;
      return { id, type: component, props };
    }
    const [type, props] = Object.entries(entry.component || {})[0] || ["Unknown", {}];
    return { id: entry.id, type, props: props || {} };
  };
  const apply = (message) => {
    if (message.surfaceUpdate) {
      const surface = surfaceFor(message.surfaceUpdate.surfaceId);
      for (const entry of message.surfaceUpdate.components || []) surface.components.set(entry.id, normalise(entry));
    } else if (message.updateComponents) {
      const surface = surfaceFor(message.updateComponents.surfaceId);
      for (const entry of message.updateComponents.components || []) surface.components.set(entry.id, normalise(entry));
      surface.root = surface.root || "root";
    } else if (message.dataModelUpdate) {
      const update = message.dataModelUpdate;
      const surface = surfaceFor(update.surfaceId);
      const value = {};
      for (const entry of update.contents || []) value[entry.key] = v08Value(entry);
      const current = pointer(surface.model, update.path);
      surface.model = setAt(surface.model, update.path, { ...(current && typeof current === "object" ? current : {}), ...value });
    } else if (message.updateDataModel) {
      const update = message.updateDataModel;
      const surface = surfaceFor(update.surfaceId);
      surface.model = setAt(surface.model, update.path, update.value);
    } else if (message.beginRendering) {
      surfaceFor(message.beginRendering.surfaceId).root = message.beginRendering.root;
    } else if (message.createSurface) {
      surfaceFor(message.createSurface.surfaceId).root = "root";
    } else if (message.deleteSurface) {
      surfaces.delete(message.deleteSurface.surfaceId);
    }
  };
  const childIds = (props) => {
    const children = props.children;
    if (Array.isArray(children)) return children;
    if (children && Array.isArray(children.explicitList)) return children.explicitList;
    return props.child ? [props.child] : [];
  };
  const safeUrl = (url) => typeof url === "string" && /^(https?:|data:image\/|\/|\.\/|[\w-]+\.)/i.test(url) && !/^javascript:/i.test(url);
  const render = (surface, id, depth) => {
    const node = surface.components.get(id);
    if (!node || depth > 64) return document.createComment("missing " + id);
    const { type, props } = node;
    const text = (key) => {
      const value = resolve(surface, props[key]);
      return value === undefined ? "" : String(value);
    };
    const container = (tag, className) => {
      const element = document.createElement(tag);
      element.className = className;
      for (const child of childIds(props)) element.append(render(surface, child, depth + 1));
      return element;
    };
    let element;
    switch (type) {
      case "Text":
      case "Heading": {
        const hint = String(props.usageHint || props.variant || (type === "Heading" ? "h2" : "body"));
        element = document.createElement(/^h[1-6]$/.test(hint) ? hint : hint === "caption" ? "small" : "p");
        element.textContent = text("text");
        break;
      }
      case "Column": element = container("div", "a2ui-column"); break;
      case "Row": element = container("div", "a2ui-row"); break;
      case "List": element = container("div", "a2ui-list"); break;
      case "Card": element = container("section", "a2ui-card"); break;
      case "Button": {
        element = container("button", "a2ui-button");
        if (childIds(props).length === 0) element.textContent = text("label") || text("text");
        const action = props.action || {};
        const name = action.name || (action.event && action.event.name) || "";
        element.addEventListener("click", () => parent.postMessage({ type: "openclaw:a2ui:action", name, surfaceId: surface.id, componentId: id }, "*"));
        break;
      }
      case "Image": {
        element = document.createElement("img");
        const url = text("url");
        if (safeUrl(url)) element.src = url;
        element.alt = text("altText") || text("description");
        break;
      }
      case "Divider": element = document.createElement("hr"); break;
      case "TextField": {
        element = document.createElement("label");
        element.className = "a2ui-field";
        element.append(text("label"), Object.assign(document.createElement("input"), { value: text("text") || text("value"), readOnly: true }));
        break;
      }
      case "CheckBox": {
        element = document.createElement("label");
        element.append(Object.assign(document.createElement("input"), { type: "checkbox", checked: resolve(surface, props.value) === true, disabled: true }), text("label"));
        break;
      }
      default:
        element = document.createElement("div");
        element.className = "a2ui-unsupported";
        element.textContent = "[" + type + "]";
    }
    element.dataset.a2uiId = id;
    return element;
  };
  const draw = () => {
    for (const host of hosts) {
      host.replaceChildren();
      for (const surface of surfaces.values()) {
        if (!surface.root || !surface.components.has(surface.root)) continue;
        const frame = document.createElement("div");
        frame.className = "a2ui-surface";
        frame.dataset.surfaceId = surface.id;
        frame.append(render(surface, surface.root, 0));
        host.append(frame);
      }
    }
  };
  const parseJsonl = (text) => text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean).map((line) => JSON.parse(line));
  const push = (messages) => {
    for (const message of Array.isArray(messages) ? messages : [messages]) apply(message);
    draw();
  };
  const style = document.createElement("style");
  style.textContent = "openclaw-a2ui-host{display:block;font:15px/1.4 system-ui,sans-serif;padding:12px}" +
    ".a2ui-column,.a2ui-list{display:flex;flex-direction:column;gap:8px}.a2ui-row{display:flex;gap:8px;align-items:center}" +
    ".a2ui-card{border:1px solid #ccc;border-radius:8px;padding:12px}.a2ui-button{padding:6px 12px}img{max-width:100%}" +
    ".a2ui-unsupported{color:#888;font-style:italic}";
  document.head.append(style);
  const sourceFromQuery = (host) => {
    const src = new URLSearchParams(location.search).get("src");
    if (!src) {
      host.textContent = "Name an A2UI JSONL file: /__openclaw__/a2ui/?src=/__openclaw__/canvas/<file>.jsonl";
      return null;
    }
    if (!src.startsWith("/__openclaw__/canvas/") || src.includes("..")) {
      host.textContent = "src must be a file of the canvas folder: /__openclaw__/canvas/<file>.jsonl";
      return null;
    }
    const prefix = (location.pathname.match(/^\/__openclaw__\/cap\/[^/]+/) || [""])[0];
    return prefix + src;
  };
  class OpenClawA2uiHost extends HTMLElement {
    async connectedCallback() {
      hosts.add(this);
      const fromQuery = this.hasAttribute("data-src-from-query");
      const src = fromQuery ? sourceFromQuery(this) : this.getAttribute("src");
      if (fromQuery && !src) {
        // Keep the explanation on screen: this host renders nothing else.
        hosts.delete(this);
        return;
      }
      if (src) {
        try {
          const response = await fetch(src);
          if (!response.ok) throw new Error("HTTP " + response.status);
          push(parseJsonl(await response.text()));
        } catch (error) {
          this.textContent = "A2UI source " + src + " could not be read: " + (error instanceof Error ? error.message : String(error));
        }
        return;
      }
      draw();
    }
    disconnectedCallback() { hosts.delete(this); }
  }
  globalThis.openclawA2UI = { push, reset: () => { surfaces.clear(); draw(); }, parseJsonl };
  if (!customElements.get("openclaw-a2ui-host")) customElements.define("openclaw-a2ui-host", OpenClawA2uiHost);
  const boot = globalThis.openclawA2UIBoot;
  if (boot && Array.isArray(boot.messages)) push(boot.messages);
})();
`;

/**
 * The page at `/__openclaw__/a2ui/`: renders the A2UI JSONL file of the canvas folder named by `?src=`
 * (`/__openclaw__/canvas/<file>.jsonl`; nothing else of the gateway is read). The renderer is loaded by a relative
 * URL, so the page works under a capability prefix too.
 */
export const A2UI_INDEX_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>A2UI</title></head>
<body><openclaw-a2ui-host data-src-from-query></openclaw-a2ui-host><script src="a2ui.bundle.js"></script></body></html>
`;

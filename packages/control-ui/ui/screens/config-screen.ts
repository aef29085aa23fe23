import { describeConfigSaveError } from "../config-save-error.js";
import { button, h, replaceChildren } from "../element-builder.js";
import { errorMessage } from "../error-message.js";
import type { Screen, ScreenContext } from "../screen.js";
import { StatusLine } from "../status-line.js";

const INVALID_FILE_NOTICE =
  "The config file on disk is invalid, so the gateway keeps running the last good config. " +
  "Fix the issues listed under the editor and save.";

export function renderConfigScreen(context: ScreenContext): Screen {
  const { client } = context;
  const status = new StatusLine("config");
  const path = h("p", { class: "hint", "data-testid": "config-path" });
  const editor = h("textarea", {
    id: "config-editor",
    rows: 24,
    spellcheck: "false",
    "aria-describedby": "config-issues",
    "data-testid": "config-editor",
  });
  const issues = h("ul", {
    id: "config-issues",
    class: "issues",
    "data-testid": "config-issues",
    hidden: true,
  });
  const conflict = h("div", {
    class: "conflict",
    role: "alert",
    "data-testid": "config-conflict",
    hidden: true,
  });
  const save = button("Save", { "data-testid": "config-save" }, () => void store());
  let baseHash: string | undefined;
  let disposed = false;

  const showIssues = (list: { path: string; message: string }[]): void => {
    replaceChildren(
      issues,
      ...list.map((issue) =>
        h("li", { "data-testid": "config-issue" }, h("code", {}, issue.path), `: ${issue.message}`),
      ),
    );
    issues.hidden = list.length === 0;
    editor.setAttribute("aria-invalid", list.length > 0 ? "true" : "false");
  };

  const load = async (): Promise<void> => {
    status.info("Loading…");
    try {
      const result = await client.request("config.get");
      if (disposed) return;
      editor.value = result.raw;
      baseHash = result.hash;
      path.textContent = result.exists ? result.path : `${result.path} (not created yet: saving creates it)`;
      conflict.hidden = true;
      showIssues(result.valid ? [] : result.issues);
      // The gateway never applies an invalid file: it keeps the last good config until the file is fixed.
      if (!result.valid) status.error(INVALID_FILE_NOTICE);
      else status.info(result.warnings.length > 0 ? `Warnings: ${result.warnings.join("; ")}` : "Loaded.");
    } catch (error) {
      if (!disposed) status.error(errorMessage(error));
    }
  };

  const store = async (): Promise<void> => {
    save.disabled = true;
    status.info("Saving…");
    try {
      const result = await client.request("config.set", {
        raw: editor.value,
        ...(baseHash !== undefined ? { baseHash } : {}),
      });
      if (disposed) return;
      baseHash = result.hash;
      showIssues([]);
      conflict.hidden = true;
      const notes = [
        result.restartRequired ? "Saved; some changes take effect after a gateway restart." : "Saved.",
      ];
      if (result.warnings.length > 0) notes.push(`Warnings: ${result.warnings.join("; ")}`);
      status.info(notes.join(" "));
    } catch (error) {
      if (disposed) return;
      const failure = describeConfigSaveError(error);
      if (failure.kind === "invalid") {
        showIssues(failure.issues);
        status.error("The config was not saved: fix the issues listed under the editor.");
      } else if (failure.kind === "conflict") {
        replaceChildren(
          conflict,
          h(
            "p",
            {},
            "Someone else changed the config since you loaded it, so it was not saved. Reload to get their " +
              "version (copy your edits first if you want to keep them).",
          ),
          button("Reload", { "data-testid": "config-reload" }, () => void load()),
        );
        conflict.hidden = false;
        status.error(failure.message);
      } else {
        status.error(failure.message);
      }
    } finally {
      save.disabled = false;
    }
  };

  void load();
  const element = h(
    "section",
    { "aria-labelledby": "config-title", "data-testid": "screen-config", class: "config" },
    h("h2", { id: "config-title" }, "Config"),
    path,
    h("label", { for: "config-editor" }, "Config file (JSON5)"),
    editor,
    issues,
    conflict,
    h(
      "div",
      { class: "toolbar" },
      save,
      button("Reload", { "data-testid": "config-load" }, () => void load()),
    ),
    status.element,
  );
  return {
    element,
    dispose: () => {
      disposed = true;
    },
  };
}

import { agentOption } from "../agent-option.js";
import { hasScope } from "../control-ui-scopes.js";
import { formatTimestamp } from "../duration-format.js";
import { button, h, replaceChildren } from "../element-builder.js";
import { errorMessage } from "../error-message.js";
import type { Screen, ScreenContext } from "../screen.js";
import { StatusLine } from "../status-line.js";
import {
  contentHash,
  fileStateLabel,
  isFileConflict,
  WORKSPACE_WRITE_SCOPE,
  type WorkspaceFileLike,
} from "../workspace-files.js";

/**
 * Unsaved edits per agent and file, kept for the tab's life: moving to another file, agent or screen and back finds
 * them again. A save or a reload of the file drops its draft.
 */
const drafts = new Map<string, string>();

/** What the editor holds for one file: the text as read (and its hash, for the conflict check) and the edits. */
interface OpenFile {
  name: string;
  missing: boolean;
  path: string;
  savedContent: string;
  hash: string | undefined;
}

/**
 * The agent's workspace files (`AGENTS.md`, `SOUL.md`, ...): pick an agent, open a file, edit and save it, or create
 * one that is missing. Edits of several files are kept as drafts while moving between them. Without the scope saving
 * needs, the editor is read-only.
 */
export function renderWorkspaceScreen(context: ScreenContext): Screen {
  const { client } = context;
  const canWrite = hasScope(context.hello.auth.scopes, WORKSPACE_WRITE_SCOPE);
  const status = new StatusLine("workspace");
  const agentSelect = h("select", { id: "workspace-agent", "data-testid": "workspace-agent" });
  const workspacePath = h("p", { class: "hint", "data-testid": "workspace-path" });
  const fileList = h("ul", {
    class: "file-list",
    "aria-label": "Workspace files",
    "data-testid": "workspace-files",
  });
  const editorLabel = h("label", { for: "workspace-editor" }, "File");
  const fileHint = h("p", { id: "workspace-file-hint", class: "hint", "data-testid": "workspace-file-hint" });
  const editor = h("textarea", {
    id: "workspace-editor",
    rows: 22,
    spellcheck: "false",
    disabled: true,
    readonly: !canWrite,
    "aria-describedby": "workspace-file-hint",
    "data-testid": "workspace-editor",
  });
  const conflict = h("div", {
    class: "conflict",
    role: "alert",
    "data-testid": "workspace-conflict",
    hidden: true,
  });
  const save = button("Save", { "data-testid": "workspace-save", disabled: true, hidden: !canWrite }, () => {
    void store();
  });
  const reload = button("Reload", { "data-testid": "workspace-reload", disabled: true }, () => {
    if (open !== undefined) void openFile(open.name, { discardDraft: true });
  });
  const readOnlyNote = h(
    "p",
    { class: "note", "data-testid": "workspace-readonly", hidden: canWrite },
    `Read-only: this sign-in was not granted ${WORKSPACE_WRITE_SCOPE}, which saving a workspace file needs.`,
  );

  let agentId = context.route.param;
  let files: WorkspaceFileLike[] = [];
  let open: OpenFile | undefined;
  let disposed = false;
  let listGeneration = 0;
  let fileGeneration = 0;
  let listedDirty = false;

  const draftKey = (name: string): string => `${agentId ?? ""}\u0000${name}`;
  const isDirty = (): boolean => open !== undefined && editor.value !== open.savedContent;

  const renderFiles = (): void => {
    listedDirty = isDirty();
    // The list is drawn anew; a keyboard user keeps their place on the same file's button.
    const focused = fileList.contains(document.activeElement)
      ? document.activeElement?.getAttribute("data-file-name")
      : undefined;
    replaceChildren(
      fileList,
      ...files.map((file) => {
        const edited = open?.name === file.name ? isDirty() : drafts.has(draftKey(file.name));
        const pick = button(
          file.name,
          {
            class: "link",
            "aria-pressed": open?.name === file.name ? "true" : "false",
            "data-testid": "workspace-file",
            "data-file-name": file.name,
            "data-missing": file.missing ? "true" : "false",
          },
          () => void openFile(file.name),
        );
        return h(
          "li",
          {},
          pick,
          edited ? h("span", { class: "note" }, "edited") : null,
          h("span", { class: "hint", "data-testid": "workspace-file-state" }, fileStateLabel(file)),
        );
      }),
    );
    if (focused) fileList.querySelector<HTMLElement>(`[data-file-name="${CSS.escape(focused)}"]`)?.focus();
  };

  const showOpenFile = (): void => {
    if (open === undefined) return;
    editorLabel.textContent = `Contents of ${open.name}`;
    fileHint.textContent = open.missing
      ? `${open.path} does not exist yet${canWrite ? ": saving creates it." : "."}`
      : open.path;
    save.textContent = open.missing ? "Create file" : "Save";
    editor.disabled = false;
    save.disabled = false;
    reload.disabled = false;
  };

  const loadFiles = async (): Promise<void> => {
    if (agentId === undefined) return;
    const requested = agentId;
    const current = ++listGeneration;
    try {
      const result = await client.request("agents.files.list", { agentId: requested });
      if (disposed || current !== listGeneration) return;
      files = result.files;
      workspacePath.textContent = `Workspace: ${result.workspace}`;
      renderFiles();
      if (open === undefined)
        status.info(`${files.filter((file) => !file.missing).length} of ${files.length} files present.`);
    } catch (error) {
      if (!disposed && current === listGeneration) status.error(errorMessage(error));
    }
  };

  const keepDraft = (): void => {
    if (open === undefined) return;
    if (isDirty()) drafts.set(draftKey(open.name), editor.value);
    else drafts.delete(draftKey(open.name));
  };

  const openFile = async (name: string, options: { discardDraft?: boolean } = {}): Promise<void> => {
    if (agentId === undefined) return;
    keepDraft();
    if (options.discardDraft) drafts.delete(draftKey(name));
    const requested = agentId;
    const current = ++fileGeneration;
    status.info(`Opening ${name}…`);
    try {
      const result = await client.request("agents.files.get", { agentId: requested, name });
      if (disposed || current !== fileGeneration) return;
      const file: WorkspaceFileLike & { path: string } = result.file;
      const savedContent = file.content ?? "";
      const hash = file.missing ? undefined : (file.hash ?? (await contentHash(savedContent)));
      if (disposed || current !== fileGeneration) return;
      open = { name: file.name, missing: file.missing, path: file.path, savedContent, hash };
      editor.value = drafts.get(draftKey(name)) ?? savedContent;
      drafts.delete(draftKey(name));
      conflict.hidden = true;
      showOpenFile();
      renderFiles();
      status.info(
        file.missing
          ? `${name} does not exist yet.`
          : `Opened ${name}${file.updatedAtMs === undefined ? "" : `, last changed ${formatTimestamp(file.updatedAtMs)}`}.`,
      );
    } catch (error) {
      if (!disposed && current === fileGeneration) status.error(errorMessage(error));
    }
  };

  const store = async (): Promise<void> => {
    if (agentId === undefined || open === undefined || !canWrite) return;
    const target = open;
    const content = editor.value;
    save.disabled = true;
    status.info(`Saving ${target.name}…`);
    try {
      const result = await client.request("agents.files.set", {
        agentId,
        name: target.name,
        content,
        ...(target.hash === undefined ? {} : { expectedHash: target.hash }),
      });
      if (disposed) return;
      target.savedContent = content;
      target.hash = (result.file as WorkspaceFileLike).hash ?? (await contentHash(content));
      const created = target.missing;
      target.missing = false;
      drafts.delete(draftKey(target.name));
      conflict.hidden = true;
      if (open === target) showOpenFile();
      status.info(created ? `Created ${target.name}.` : `Saved ${target.name}.`);
      await loadFiles();
    } catch (error) {
      if (disposed) return;
      if (isFileConflict(error)) {
        replaceChildren(
          conflict,
          h(
            "p",
            {},
            `${target.name} was changed by someone else since you opened it, so it was not saved. Reload to get ` +
              "their version (copy your edits first if you want to keep them).",
          ),
          button("Reload file", { "data-testid": "workspace-conflict-reload" }, () => {
            void openFile(target.name, { discardDraft: true });
          }),
        );
        conflict.hidden = false;
      }
      status.error(`${target.name} was not saved: ${errorMessage(error)}`);
    } finally {
      save.disabled = false;
    }
  };

  const switchAgent = (next: string): void => {
    keepDraft();
    // The agent is part of the address, so a reload or a shared link opens the same workspace; the shell renders
    // this screen again for it.
    context.navigate({ screen: "workspace", param: next });
  };

  const loadAgents = async (): Promise<void> => {
    try {
      const result = await client.request("agents.list", {});
      if (disposed) return;
      replaceChildren(agentSelect, ...result.agents.map(agentOption));
      const asked = agentId;
      const known = asked !== undefined && result.agents.some((agent) => agent.id === asked);
      const shown = known ? asked : result.defaultId;
      agentId = shown;
      agentSelect.value = shown;
      fileHint.textContent = "Pick a file to open it.";
      await loadFiles();
      if (asked !== undefined && !known && !disposed) {
        status.error(`No agent "${asked}" is configured; showing the default agent, ${shown}.`);
      }
    } catch (error) {
      if (!disposed) status.error(errorMessage(error));
    }
  };

  agentSelect.addEventListener("change", () => switchAgent(agentSelect.value));
  // The "edited" marker follows the typing without redrawing the list on every key.
  editor.addEventListener("input", () => {
    if (listedDirty !== isDirty()) renderFiles();
  });

  void loadAgents();
  const element = h(
    "section",
    { "aria-labelledby": "workspace-title", "data-testid": "screen-workspace", class: "workspace" },
    h("h2", { id: "workspace-title" }, "Workspace"),
    h("div", { class: "toolbar" }, h("label", { for: "workspace-agent" }, "Agent"), agentSelect),
    workspacePath,
    readOnlyNote,
    h(
      "div",
      { class: "split workspace-split" },
      fileList,
      h(
        "div",
        { class: "workspace-editor" },
        editorLabel,
        fileHint,
        editor,
        conflict,
        h("div", { class: "toolbar" }, save, reload),
        status.element,
      ),
    ),
  );
  return {
    element,
    dispose: () => {
      keepDraft();
      disposed = true;
    },
  };
}

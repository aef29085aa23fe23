import type { SessionRow } from "@openclaw/protocol";
import { formatTimestamp } from "../duration-format.js";
import { button, h, replaceChildren } from "../element-builder.js";
import { errorMessage } from "../error-message.js";
import type { Screen, ScreenContext } from "../screen.js";
import { StatusLine } from "../status-line.js";

const LIST_LIMIT = 200;
const SEARCH_DEBOUNCE_MS = 250;

export function renderSessionsScreen(context: ScreenContext): Screen {
  const { client } = context;
  const status = new StatusLine("sessions");
  const search = h("input", { type: "search", id: "sessions-search", "data-testid": "sessions-search" });
  const body = h("tbody");
  const detail = h("div", { class: "session-detail", "data-testid": "session-detail" });
  let selected: string | undefined;
  let disposed = false;
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  let listGeneration = 0;

  const load = async (): Promise<void> => {
    const generation = ++listGeneration;
    const query = search.value.trim();
    try {
      const result = await client.request("sessions.list", {
        limit: LIST_LIMIT,
        includeLastMessage: true,
        ...(query ? { search: query } : {}),
      });
      // Only the newest search's answer is drawn, whatever order the answers arrive in.
      if (disposed || generation !== listGeneration) return;
      renderRows(result.sessions, result.totalCount);
    } catch (error) {
      if (!disposed) status.error(errorMessage(error));
    }
  };

  const renderRows = (sessions: SessionRow[], total: number): void => {
    const rows = sessions.map((session) => {
      const open = button(
        session.displayName ?? session.label ?? session.key,
        { class: "link", "aria-pressed": session.key === selected ? "true" : "false" },
        () => void select(session.key),
      );
      return h(
        "tr",
        { "data-testid": "session-row", "data-session-key": session.key },
        h("th", { scope: "row" }, open),
        h("td", {}, session.kind),
        h("td", {}, String(session.messageCount)),
        h("td", {}, formatTimestamp(session.lastActiveAt)),
        h("td", { class: "preview-cell" }, session.lastMessagePreview ?? ""),
      );
    });
    if (rows.length === 0) rows.push(h("tr", {}, h("td", { colspan: 5 }, "No sessions match.")));
    replaceChildren(body, ...rows);
    status.info(`${sessions.length} of ${total} sessions`);
  };

  const select = async (key: string): Promise<void> => {
    selected = key;
    replaceChildren(detail, h("p", {}, `Loading ${key}…`));
    try {
      const result = await client.request("sessions.preview", { keys: [key], limit: 20, maxChars: 2000 });
      if (disposed || selected !== key) return;
      const preview = result.previews[0];
      const items = preview?.items ?? [];
      replaceChildren(
        detail,
        h("h3", { "data-testid": "session-detail-key" }, key),
        h(
          "div",
          { class: "toolbar" },
          button("Open in chat", { "data-testid": "session-open-chat" }, () =>
            context.navigate({ screen: "chat", param: key }),
          ),
          button("Compact", { "data-testid": "session-compact" }, () => void compact(key)),
          button("Reset", { "data-testid": "session-reset" }, () => void reset(key)),
          button("Delete…", { "data-testid": "session-delete", class: "danger" }, () => confirmDelete(key)),
        ),
        items.length === 0
          ? h(
              "p",
              { "data-testid": "session-preview-empty" },
              preview?.status === "missing" ? "Not found." : "No messages.",
            )
          : h(
              "ol",
              { class: "preview", "data-testid": "session-preview" },
              ...items.map((item) =>
                h("li", { class: `message ${item.role}` }, h("strong", {}, `${item.role}: `), item.text),
              ),
            ),
      );
    } catch (error) {
      if (!disposed) status.error(errorMessage(error));
    }
  };

  const afterChange = async (key: string, message: string, stillExists: boolean): Promise<void> => {
    status.info(message);
    await load();
    if (stillExists) await select(key);
    else {
      selected = undefined;
      replaceChildren(detail);
    }
    status.info(message);
  };

  const compact = async (key: string): Promise<void> => {
    try {
      const result = await client.request("sessions.compact", { key });
      await afterChange(
        key,
        result.compacted
          ? `Compacted ${key}: kept ${result.kept}, removed ${result.removed}.`
          : `${key} needed no compaction.`,
        true,
      );
    } catch (error) {
      status.error(errorMessage(error));
    }
  };

  const reset = async (key: string): Promise<void> => {
    try {
      await client.request("sessions.reset", { key, reason: "reset" });
      await afterChange(key, `Reset ${key}: it starts a new conversation.`, true);
    } catch (error) {
      status.error(errorMessage(error));
    }
  };

  const confirmDelete = (key: string): void => {
    const cancel = button("Cancel", { "data-testid": "session-delete-cancel" }, () => void select(key));
    const confirm = button(
      "Delete",
      { "data-testid": "session-delete-confirm", class: "danger" },
      async () => {
        try {
          const result = await client.request("sessions.delete", { key });
          await afterChange(key, result.deleted ? `Deleted ${key}.` : `${key} was already gone.`, false);
        } catch (error) {
          status.error(errorMessage(error));
        }
      },
    );
    const prompt = h(
      "div",
      {
        role: "alertdialog",
        "aria-labelledby": "delete-prompt",
        class: "confirm",
        "data-testid": "session-delete-prompt",
      },
      h(
        "p",
        { id: "delete-prompt" },
        `Delete session ${key} and archive its transcript? This cannot be undone here.`,
      ),
      confirm,
      cancel,
    );
    detail.append(prompt);
    confirm.focus();
  };

  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => void load(), SEARCH_DEBOUNCE_MS);
  });
  void load();
  if (context.route.param) void select(context.route.param);

  const element = h(
    "section",
    { "aria-labelledby": "sessions-title", "data-testid": "screen-sessions" },
    h("h2", { id: "sessions-title" }, "Sessions"),
    h(
      "div",
      { class: "toolbar" },
      h("label", { for: "sessions-search" }, "Search"),
      search,
      button("Refresh", { "data-testid": "sessions-refresh" }, () => void load()),
    ),
    h(
      "div",
      { class: "split" },
      h(
        "table",
        { "data-testid": "sessions-table" },
        h("caption", {}, "Sessions"),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ...["Session", "Kind", "Messages", "Last active", "Last message"].map((title) =>
              h("th", { scope: "col" }, title),
            ),
          ),
        ),
        body,
      ),
      detail,
    ),
    status.element,
  );
  return {
    element,
    dispose: () => {
      disposed = true;
      clearTimeout(searchTimer);
    },
  };
}

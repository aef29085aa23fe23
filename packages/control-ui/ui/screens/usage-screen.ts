import type { SessionsUsageParams } from "@openclaw/protocol";
import { agentOption } from "../agent-option.js";
import { button, h, replaceChildren } from "../element-builder.js";
import { errorMessage } from "../error-message.js";
import type { Screen, ScreenContext } from "../screen.js";
import { StatusLine } from "../status-line.js";
import {
  browserTimeZone,
  formatUsageQuery,
  localDay,
  parseUsageQuery,
  resolveUsageRange,
  USAGE_PRESET_LABELS,
  USAGE_PRESETS,
  type UsageDateRange,
  type UsageQuery,
} from "../usage-range.js";
import { buildUsageView } from "../usage-report.js";
import { renderUsageEmpty, renderUsageReport } from "../usage-sections.js";

/** Sessions asked for, to rank the top ones; the totals and breakdowns cover every session whatever this is. */
const SESSION_LIMIT = 1_000;

/**
 * Token usage and estimated cost from the gateway's usage ledger (`sessions.usage`): a range (Today, 7d, 30d, 90d or
 * custom days, in the browser's time zone), one agent or all, totals, tokens per day, breakdowns by model, agent and
 * channel, and the top sessions. The range and agent are part of the address. Needs `operator.read` only.
 */
export function renderUsageScreen(context: ScreenContext): Screen {
  const { client } = context;
  const query = parseUsageQuery(context.route.param);
  const timeZone = browserTimeZone();
  const today = timeZone === undefined ? new Date().toISOString().slice(0, 10) : localDay(new Date());
  const status = new StatusLine("usage");
  const body = h("div", { class: "usage-body", "data-testid": "usage-body", "aria-live": "polite" });
  let disposed = false;
  let generation = 0;

  const go = (next: UsageQuery): void => {
    context.navigate({ screen: "usage", param: formatUsageQuery(next) });
  };

  const presets = USAGE_PRESETS.map((preset) =>
    button(
      USAGE_PRESET_LABELS[preset],
      { "aria-pressed": query.range === preset ? "true" : "false", "data-testid": `usage-range-${preset}` },
      () => go({ range: preset, ...(query.agentId ? { agentId: query.agentId } : {}) }),
    ),
  );
  const shown = resolveUsageRange(query, today);
  const fallback: UsageDateRange | undefined = "error" in shown ? undefined : shown;
  const dayInput = (id: string, value: string): HTMLInputElement =>
    h("input", { type: "date", id, max: today, value, "data-testid": id });
  const from = dayInput("usage-from", query.from ?? fallback?.startDate ?? today);
  const to = dayInput("usage-to", query.to ?? fallback?.endDate ?? today);
  const customFields = h(
    "span",
    { class: "usage-custom", hidden: query.range !== "custom", "data-testid": "usage-custom" },
    h("label", { for: "usage-from" }, "From"),
    from,
    h("label", { for: "usage-to" }, "to"),
    to,
    button("Show", { "data-testid": "usage-custom-apply" }, () =>
      go({
        range: "custom",
        from: from.value,
        to: to.value,
        ...(query.agentId ? { agentId: query.agentId } : {}),
      }),
    ),
  );
  const custom = button(
    "Custom…",
    { "aria-pressed": query.range === "custom" ? "true" : "false", "data-testid": "usage-range-custom" },
    () => {
      customFields.hidden = false;
      from.focus();
    },
  );
  const agentSelect = h(
    "select",
    { id: "usage-agent", "data-testid": "usage-agent" },
    h("option", { value: "" }, "All agents"),
    query.agentId ? h("option", { value: query.agentId }, query.agentId) : null,
  );
  agentSelect.value = query.agentId ?? "";
  agentSelect.addEventListener("change", () => {
    const { agentId: _dropped, ...rest } = query;
    go(agentSelect.value === "" ? rest : { ...rest, agentId: agentSelect.value });
  });
  const refresh = button("Refresh", { "data-testid": "usage-refresh" }, () => void load());
  const scopeNote = h("p", { class: "hint", "data-testid": "usage-range-note" });

  const loadAgents = async (): Promise<void> => {
    try {
      const result = await client.request("agents.list", {});
      if (disposed) return;
      replaceChildren(
        agentSelect,
        h("option", { value: "" }, "All agents"),
        ...result.agents.map(agentOption),
      );
      // An agent that is gone from the config may still have usage: keep it pickable while it is asked for.
      if (query.agentId && !result.agents.some((agent) => agent.id === query.agentId))
        agentSelect.append(h("option", { value: query.agentId }, `${query.agentId} (not configured)`));
      agentSelect.value = query.agentId ?? "";
    } catch {
      // The filter keeps "All agents" (and the asked one); the report's own request reports any real failure.
    }
  };

  const load = async (): Promise<void> => {
    const range = resolveUsageRange(query, today);
    if ("error" in range) {
      replaceChildren(body);
      status.error(range.error);
      return;
    }
    const current = ++generation;
    const days = range.days === 1 ? "1 day" : `${range.days} days`;
    scopeNote.textContent =
      `${range.startDate === range.endDate ? range.startDate : `${range.startDate} to ${range.endDate}`} (${days}, ` +
      `${timeZone ?? "UTC"}), ${query.agentId ? `agent ${query.agentId}` : "all agents"}.`;
    body.setAttribute("aria-busy", "true");
    refresh.disabled = true;
    status.info("Loading usage…");
    const params: SessionsUsageParams = {
      startDate: range.startDate,
      endDate: range.endDate,
      ...(timeZone === undefined ? { mode: "utc" } : { mode: "specific", timeZone }),
      ...(query.agentId ? { agentId: query.agentId } : { agentScope: "all" }),
      limit: SESSION_LIMIT,
    };
    try {
      const report = await client.request("sessions.usage", params);
      if (disposed || current !== generation) return;
      const view = buildUsageView(report, range);
      replaceChildren(
        body,
        view.note ? h("p", { class: "note", "data-testid": "usage-note" }, view.note) : null,
        view.empty ? renderUsageEmpty() : renderUsageReport(view, report.sessionsLimitReached === true),
      );
      status.info(`Updated ${new Date().toLocaleTimeString()}`);
    } catch (error) {
      if (disposed || current !== generation) return;
      // A failed refresh keeps the last report on screen; the alert says what went wrong.
      status.error(`Usage could not be loaded: ${errorMessage(error)}`);
    } finally {
      if (!disposed && current === generation) {
        body.removeAttribute("aria-busy");
        refresh.disabled = false;
      }
    }
  };

  void loadAgents();
  void load();
  const element = h(
    "section",
    { "aria-labelledby": "usage-title", "data-testid": "screen-usage", class: "usage-screen" },
    h("h2", { id: "usage-title" }, "Usage"),
    h(
      "div",
      { class: "toolbar" },
      h("div", { role: "group", "aria-label": "Range", class: "usage-ranges" }, ...presets, custom),
      customFields,
      h("label", { for: "usage-agent" }, "Agent"),
      agentSelect,
      refresh,
    ),
    scopeNote,
    status.element,
    body,
  );
  return {
    element,
    dispose: () => {
      disposed = true;
    },
  };
}

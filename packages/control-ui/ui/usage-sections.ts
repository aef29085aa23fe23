import { type Child, h } from "./element-builder.js";
import { routeHash } from "./hash-route.js";
import { renderDailyChart } from "./usage-chart.js";
import { formatTokens } from "./usage-format.js";
import type { UsageSessionRow, UsageTableRow, UsageView } from "./usage-report.js";

const PRICE_KEY = "models.providers.<id>.models[].cost";

/** What a newcomer sees before any model has answered in the range: how usage gets here, and how it gets a price. */
export function renderUsageEmpty(): HTMLElement {
  return h(
    "div",
    { class: "usage-empty", "data-testid": "usage-empty" },
    h("h3", {}, "No usage in this range"),
    h(
      "p",
      {},
      "Every answer a model gives is counted here: its tokens, and its cost when the model has a price. ",
      h("a", { href: routeHash({ screen: "chat" }) }, "Open Chat"),
      " and send a message (or talk to the agent on a channel), then come back. Older usage shows with a wider range " +
        "(30d, 90d or custom dates).",
    ),
    h(
      "p",
      { class: "hint" },
      "Costs are estimated from the prices you configure for each model: set ",
      h("code", {}, PRICE_KEY),
      " to { input, output, cacheRead, cacheWrite } in US dollars per million tokens.",
    ),
  );
}

function cards(view: UsageView): HTMLElement {
  return h(
    "div",
    { class: "usage-cards", "data-testid": "usage-cards" },
    ...view.cards.map((card) =>
      h(
        "div",
        { class: "usage-card", "data-testid": `usage-card-${card.id}` },
        h("span", { class: "usage-card-label" }, card.label),
        h("strong", { class: "usage-card-value", "data-testid": "usage-card-value" }, card.value),
      ),
    ),
  );
}

function missingPrices(view: UsageView): Child {
  if (view.missingPrices.length === 0) return null;
  return h(
    "div",
    { class: "note usage-missing", role: "note", "data-testid": "usage-missing-prices" },
    h("p", {}, "The estimated cost leaves out answers of models without a price:"),
    h(
      "ul",
      {},
      ...view.missingPrices.map((sentence) => h("li", { "data-testid": "usage-missing-price" }, sentence)),
    ),
  );
}

interface Column<Row> {
  title: string;
  cell(row: Row): Child;
  numeric?: boolean;
}

function table<Row>(
  caption: string,
  testId: string,
  columns: readonly Column<Row>[],
  rows: readonly Row[],
  emptyText: string,
  rowAttributes: (row: Row) => Record<string, string>,
): HTMLElement {
  const body =
    rows.length === 0
      ? [h("tr", {}, h("td", { colspan: columns.length, class: "hint" }, emptyText))]
      : rows.map((row) =>
          h(
            "tr",
            { "data-testid": `${testId}-row`, ...rowAttributes(row) },
            ...columns.map((column, index) =>
              h(
                index === 0 ? "th" : "td",
                { ...(index === 0 ? { scope: "row" } : {}), class: column.numeric ? "num" : null },
                column.cell(row),
              ),
            ),
          ),
        );
  return h(
    "table",
    { class: "usage-table", "data-testid": testId },
    h("caption", {}, caption),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...columns.map((column) =>
          h("th", { scope: "col", class: column.numeric ? "num" : null }, column.title),
        ),
      ),
    ),
    h("tbody", {}, ...body),
  );
}

function tokenColumns(): Column<UsageTableRow>[] {
  return [
    { title: "Input", cell: (row) => row.input, numeric: true },
    { title: "Output", cell: (row) => row.output, numeric: true },
    { title: "Cache", cell: (row) => row.cache, numeric: true },
    { title: "Total", cell: (row) => row.total, numeric: true },
    { title: "Cost", cell: (row) => row.cost, numeric: true },
  ];
}

function breakdowns(view: UsageView): HTMLElement {
  const named = (title: string): Column<UsageTableRow> => ({ title, cell: (row) => row.name });
  const byName = (row: UsageTableRow) => ({ "data-name": row.name });
  return h(
    "div",
    { class: "usage-breakdowns" },
    table(
      "By model",
      "usage-by-model",
      [
        named("Model"),
        { title: "Answers", cell: (row) => row.answers ?? "", numeric: true },
        ...tokenColumns(),
      ],
      view.byModel,
      "No model answered in this range.",
      byName,
    ),
    table(
      "By agent",
      "usage-by-agent",
      [named("Agent"), ...tokenColumns()],
      view.byAgent,
      "No agent usage.",
      byName,
    ),
    table(
      "By channel",
      "usage-by-channel",
      [named("Channel"), ...tokenColumns()],
      view.byChannel,
      "No usage in this range came through a channel.",
      byName,
    ),
  );
}

function topSessions(view: UsageView, limitReached: boolean): HTMLElement {
  const columns: Column<UsageSessionRow>[] = [
    {
      title: "Session",
      cell: (row) =>
        h("a", { href: routeHash({ screen: "chat", param: row.key }), title: row.key }, row.name),
    },
    { title: "Agent", cell: (row) => row.agent },
    { title: "Model", cell: (row) => row.model },
    { title: "Tokens", cell: (row) => row.total, numeric: true },
    { title: "Cost", cell: (row) => row.cost, numeric: true },
  ];
  const caption = `Top sessions (${formatTokens(view.sessionCount)} with usage in this range)`;
  return h(
    "div",
    {},
    table(
      caption,
      "usage-sessions",
      columns,
      view.topSessions,
      "No session used a model in this range.",
      (row) => ({
        "data-session-key": row.key,
      }),
    ),
    limitReached
      ? h(
          "p",
          { class: "hint" },
          "Only the first 1,000 sessions the gateway returned were ranked; the totals above count every session.",
        )
      : null,
  );
}

/** The report: totals, the unpriced-model notes, tokens per day, the breakdowns and the top sessions. */
export function renderUsageReport(view: UsageView, limitReached: boolean): HTMLElement {
  return h(
    "div",
    { class: "usage-report", "data-testid": "usage-report" },
    cards(view),
    missingPrices(view),
    h("h3", {}, "Tokens per day"),
    renderDailyChart(view.days),
    breakdowns(view),
    topSessions(view, limitReached),
  );
}

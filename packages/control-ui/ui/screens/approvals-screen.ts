import { GatewayError } from "@openclaw/client";
import type { ExecApprovalDecision, ExecApprovalRecord, NodePairListResult } from "@openclaw/protocol";
import { hasScope } from "../control-ui-scopes.js";
import { formatDuration, formatTimestamp } from "../duration-format.js";
import { button, h, replaceChildren } from "../element-builder.js";
import { errorMessage } from "../error-message.js";
import { DECISION_LABELS } from "../exec-approval-queue.js";
import type { Screen, ScreenContext } from "../screen.js";
import { StatusLine } from "../status-line.js";

interface ApprovalRow {
  element: HTMLLIElement;
  timeLeft: HTMLElement;
  record: ExecApprovalRecord;
}

export function renderApprovalsScreen(context: ScreenContext): Screen {
  const { client, approvals } = context;
  const scopes = context.hello.auth.scopes;
  const canApprove = hasScope(scopes, "operator.approvals");
  const canPair = hasScope(scopes, "operator.pairing");
  const execStatus = new StatusLine("approvals");
  const pairingStatus = new StatusLine("pairing");
  const list = h("ul", { class: "approvals", "data-testid": "approval-list" });
  const empty = h(
    "p",
    { class: "note", "data-testid": "approvals-empty" },
    "No commands are waiting for approval.",
  );
  const outcomesTitle = h("h4", { hidden: true }, "Recent outcomes");
  const outcomes = h("ul", { class: "approval-outcomes", "data-testid": "approval-outcomes" });
  const pendingNodes = h("tbody");
  const pairedNodes = h("tbody");
  const rows = new Map<string, ApprovalRow>();
  let disposed = false;

  const showTimeLeft = (row: ApprovalRow): void => {
    const left = approvals.msLeft(row.record);
    row.timeLeft.textContent = left > 0 ? `${formatDuration(left)} left` : "expiring…";
  };

  const decide = async (row: ApprovalRow, decision: ExecApprovalDecision): Promise<void> => {
    const buttons = [...row.element.querySelectorAll("button")];
    for (const each of buttons) each.disabled = true;
    try {
      await client.request("exec.approval.resolve", { id: row.record.id, decision });
      // The row goes, and the outcome shows, when the gateway's `exec.approval.resolved` event arrives.
      if (!disposed) execStatus.clear();
    } catch (error) {
      if (disposed) return;
      for (const each of buttons) each.disabled = false;
      if (
        error instanceof GatewayError &&
        (error.code === "APPROVAL_NOT_FOUND" || error.detailCode === "APPROVAL_NOT_FOUND")
      ) {
        execStatus.error("Too late: that approval was already answered or it expired.");
        await loadApprovals();
      } else {
        execStatus.error(errorMessage(error));
      }
    }
  };

  const renderApproval = (record: ExecApprovalRecord): ApprovalRow => {
    const timeLeft = h("span", { class: "time-left", "data-testid": "approval-time-left" });
    const element = h("li", {
      class: "approval",
      "data-testid": "approval-row",
      "data-approval-id": record.id,
    });
    const row: ApprovalRow = { element, timeLeft, record };
    const facts: [string, string | null][] = [
      ["Agent", record.agentId],
      ["Session", record.sessionKey],
      ["Working directory", record.cwd],
      ["Host", record.host],
      ["Asked at", formatTimestamp(record.createdAtMs)],
    ];
    replaceChildren(
      element,
      h("pre", { class: "command", "data-testid": "approval-command" }, h("code", {}, record.commandText)),
      record.warningText
        ? h("p", { class: "warning", role: "note", "data-testid": "approval-warning" }, record.warningText)
        : null,
      h(
        "dl",
        { class: "facts compact" },
        ...facts.flatMap(([label, value]) => [h("dt", {}, label), h("dd", {}, value ?? "—")]),
      ),
      h(
        "div",
        { class: "toolbar" },
        ...record.allowedDecisions.map((decision) =>
          button(
            DECISION_LABELS[decision],
            {
              class: decision === "deny" ? "danger" : decision === "allow-once" ? "primary" : null,
              "data-testid": `approval-${decision}`,
            },
            () => void decide(row, decision),
          ),
        ),
        timeLeft,
      ),
    );
    showTimeLeft(row);
    return row;
  };

  /** Keyed update: rows that stay keep their elements, so a click in progress is never lost to a redraw. */
  const drawApprovals = (): void => {
    const pending = approvals.pending;
    const ids = new Set(pending.map((record) => record.id));
    for (const [id, row] of rows) {
      if (ids.has(id)) continue;
      row.element.remove();
      rows.delete(id);
    }
    pending.forEach((record, index) => {
      let row = rows.get(record.id);
      if (row === undefined) {
        row = renderApproval(record);
        rows.set(record.id, row);
      }
      const at = list.children.item(index);
      if (at !== row.element) list.insertBefore(row.element, at);
    });
    empty.hidden = pending.length > 0;
    outcomesTitle.hidden = approvals.outcomes.length === 0;
    replaceChildren(
      outcomes,
      ...approvals.outcomes.map((outcome) =>
        h(
          "li",
          {
            "data-testid": "approval-outcome",
            "data-approval-id": outcome.id,
            class: `outcome ${outcome.decision}`,
          },
          h("code", {}, outcome.commandText),
          ` — ${outcome.note}`,
        ),
      ),
    );
  };

  const loadApprovals = async (): Promise<void> => {
    try {
      const result = await client.request("exec.approval.list", {});
      if (!disposed) approvals.replace(result);
    } catch (error) {
      if (!disposed) execStatus.error(errorMessage(error));
    }
  };

  const nodeAction = async (run: () => Promise<unknown>, done: string): Promise<void> => {
    try {
      await run();
      if (disposed) return;
      pairingStatus.info(done);
      await loadNodes();
    } catch (error) {
      if (!disposed) pairingStatus.error(errorMessage(error));
    }
  };

  const drawNodes = (result: NodePairListResult): void => {
    const pendingRows = result.pending.map((request) => {
      const name = request.displayName ?? request.nodeId;
      return h(
        "tr",
        { "data-testid": "pair-request-row", "data-request-id": request.requestId },
        h("th", { scope: "row" }, request.nodeId),
        h("td", {}, request.displayName ?? "—"),
        h("td", {}, [request.platform, request.version].filter(Boolean).join(" ") || "—"),
        h("td", {}, request.caps.join(", ") || "—"),
        h("td", {}, request.commands.join(", ") || "—"),
        h("td", {}, request.remoteIp ?? "—"),
        h("td", {}, formatTimestamp(request.requestedAtMs)),
        h(
          "td",
          { class: "actions" },
          button(
            "Approve",
            { "aria-label": `Approve node ${name}`, "data-testid": "pair-approve" },
            () =>
              void nodeAction(
                () => client.request("node.pair.approve", { requestId: request.requestId }),
                `Approved ${name}: it can connect now.`,
              ),
          ),
          button(
            "Reject",
            { "aria-label": `Reject node ${name}`, "data-testid": "pair-reject", class: "danger" },
            () =>
              void nodeAction(
                () => client.request("node.pair.reject", { requestId: request.requestId }),
                `Rejected ${name}.`,
              ),
          ),
        ),
      );
    });
    if (pendingRows.length === 0) {
      pendingRows.push(h("tr", {}, h("td", { colspan: 8 }, "No node is waiting to pair.")));
    }
    replaceChildren(pendingNodes, ...pendingRows);

    const pairedRows = result.paired.map((node) => {
      const name = node.displayName ?? node.nodeId;
      return h(
        "tr",
        { "data-testid": "paired-node-row", "data-node-id": node.nodeId },
        h("th", { scope: "row" }, node.nodeId),
        h("td", {}, node.displayName ?? "—"),
        h("td", {}, [node.platform, node.version].filter(Boolean).join(" ") || "—"),
        h("td", {}, node.caps.join(", ") || "—"),
        h("td", {}, node.commands.join(", ") || "—"),
        h("td", {}, formatTimestamp(node.approvedAtMs)),
        h(
          "td",
          { class: "actions" },
          button(
            "Remove",
            { "aria-label": `Remove node ${name}`, "data-testid": "paired-remove", class: "danger" },
            () =>
              void nodeAction(
                () => client.request("node.pair.remove", { nodeId: node.nodeId }),
                `Removed ${name}: it must pair again to connect.`,
              ),
          ),
        ),
      );
    });
    if (pairedRows.length === 0) pairedRows.push(h("tr", {}, h("td", { colspan: 7 }, "No paired nodes.")));
    replaceChildren(pairedNodes, ...pairedRows);
  };

  let nodesGeneration = 0;
  const loadNodes = async (): Promise<void> => {
    const generation = ++nodesGeneration;
    try {
      const result = await client.request("node.pair.list", {});
      // Events can trigger loads in quick succession: only the newest answer is drawn.
      if (disposed || generation !== nodesGeneration) return;
      drawNodes(result);
    } catch (error) {
      if (!disposed) pairingStatus.error(errorMessage(error));
    }
  };

  const unsubscribers: (() => void)[] = [approvals.subscribe(drawApprovals)];
  const ticker = setInterval(() => {
    for (const row of rows.values()) showTimeLeft(row);
  }, 1000);
  drawApprovals();
  if (canApprove) void loadApprovals();
  else execStatus.info("This sign-in was not granted operator.approvals, so exec approvals are not shown.");
  if (canPair) {
    unsubscribers.push(
      client.on("node.pair.requested", () => void loadNodes()),
      client.on("node.pair.resolved", () => void loadNodes()),
    );
    void loadNodes();
  } else {
    pairingStatus.info("This sign-in was not granted operator.pairing, so node pairing is not shown.");
  }

  const table = (caption: string, testId: string, headings: string[], body: HTMLTableSectionElement) =>
    h(
      "table",
      { "data-testid": testId },
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, ...headings.map((title) => h("th", { scope: "col" }, title)))),
      body,
    );

  const element = h(
    "section",
    { "aria-labelledby": "approvals-title", "data-testid": "screen-approvals" },
    h("h2", { id: "approvals-title" }, "Approvals"),
    h(
      "section",
      { "aria-labelledby": "exec-approvals-title" },
      h("h3", { id: "exec-approvals-title" }, "Commands waiting for approval"),
      h(
        "p",
        { class: "hint" },
        "An agent asks before it runs these. Without an answer the gateway denies the command when its time runs out.",
      ),
      canApprove ? list : null,
      canApprove ? empty : null,
      execStatus.element,
      canApprove ? outcomesTitle : null,
      canApprove ? outcomes : null,
    ),
    h(
      "section",
      { "aria-labelledby": "node-pairing-title" },
      h("h3", { id: "node-pairing-title" }, "Node pairing"),
      canPair
        ? table(
            "Nodes asking to pair",
            "pair-requests-table",
            ["Node", "Name", "Platform", "Capabilities", "Commands", "From", "Asked at", "Actions"],
            pendingNodes,
          )
        : null,
      canPair
        ? table(
            "Paired nodes",
            "paired-nodes-table",
            ["Node", "Name", "Platform", "Capabilities", "Commands", "Approved at", "Actions"],
            pairedNodes,
          )
        : null,
      pairingStatus.element,
    ),
  );
  return {
    element,
    dispose: () => {
      disposed = true;
      clearInterval(ticker);
      for (const unsubscribe of unsubscribers) unsubscribe();
    },
  };
}

import type { ExecApprovalRecord, NodePairListResult } from "@openclaw/protocol";
import { CliError } from "../cli-error.js";
import { callGateway, type TargetOptions } from "../gateway-target.js";
import { formatAge, formatTable, type Output, printJson } from "../output.js";

interface ReadOptions extends TargetOptions {
  json?: boolean;
}

/** `openclaw nodes pending|approve|reject|remove`: node capability approvals (`node.pair.*`). */
export async function runNodes(action: string, id: string | undefined, options: ReadOptions, output: Output) {
  if (action === "pending" || action === "list") {
    const result = (await callGateway(options, "node.pair.list", {})) as NodePairListResult;
    if (options.json) {
      printJson(output, result);
      return 0;
    }
    if (result.pending.length === 0) output.out("no pending node requests");
    else
      output.out(
        formatTable(
          ["Request", "Node", "Platform", "Caps", "Commands", "Asked"],
          result.pending.map((request) => [
            request.requestId,
            request.displayName ? `${request.displayName} (${request.nodeId})` : request.nodeId,
            request.platform ?? "-",
            request.caps.join(", ") || "-",
            request.commands.join(", ") || "-",
            formatAge(request.requestedAtMs),
          ]),
        ),
      );
    if (result.paired.length > 0) {
      output.out(`\npaired: ${result.paired.map((node) => node.displayName ?? node.nodeId).join(", ")}`);
    }
    return 0;
  }
  const usage = `usage: openclaw nodes ${action} <${action === "remove" ? "nodeId" : "requestId"}>`;
  if (action === "approve" || action === "reject") {
    if (!id) throw new CliError(usage, 2);
    const result = (await callGateway(options, `node.pair.${action}`, { requestId: id })) as {
      requestId: string;
      nodeId?: string;
      node?: { nodeId: string };
    };
    if (options.json) printJson(output, result);
    else
      output.out(
        `${action === "approve" ? "approved" : "rejected"} node ${result.node?.nodeId ?? result.nodeId}`,
      );
    return 0;
  }
  if (action === "remove") {
    if (!id) throw new CliError(usage, 2);
    const result = (await callGateway(options, "node.pair.remove", { nodeId: id })) as { removed: boolean };
    if (options.json) printJson(output, result);
    else output.out(result.removed ? `removed node ${id}` : `no paired node ${id}`);
    return result.removed ? 0 : 1;
  }
  throw new CliError(`unknown nodes action "${action}": use pending, approve, reject or remove`, 2);
}

/** `openclaw approvals list|allow|deny`: answer shell commands waiting for an operator (`exec.approval.*`). */
export async function runApprovals(
  action: string,
  id: string | undefined,
  options: ReadOptions & { always?: boolean },
  output: Output,
) {
  if (action === "list") {
    // The gateway answers OpenClaw's bare array; our `--json` output keeps its `{ approvals }` object for scripts.
    const approvals = (await callGateway(options, "exec.approval.list", {})) as ExecApprovalRecord[];
    if (options.json) {
      printJson(output, { approvals });
      return 0;
    }
    if (approvals.length === 0) {
      output.out("no commands waiting for approval");
      return 0;
    }
    output.out(
      formatTable(
        ["Id", "Command", "Agent", "Cwd", "Expires in"],
        approvals.map((approval) => [
          approval.id,
          approval.commandText,
          approval.agentId ?? "-",
          approval.cwd ?? "-",
          `${Math.max(0, Math.round((approval.expiresAtMs - Date.now()) / 1000))} s`,
        ]),
      ),
    );
    return 0;
  }
  if (action === "allow" || action === "deny") {
    if (!id)
      throw new CliError(
        `usage: openclaw approvals ${action} <id>${action === "allow" ? " [--always]" : ""}`,
        2,
      );
    const decision = action === "deny" ? "deny" : options.always ? "allow-always" : "allow-once";
    const result = (await callGateway(options, "exec.approval.resolve", { id, decision })) as {
      decision: string;
    };
    if (options.json) printJson(output, result);
    else output.out(`${id}: ${result.decision}`);
    return 0;
  }
  throw new CliError(`unknown approvals action "${action}": use list, allow or deny`, 2);
}

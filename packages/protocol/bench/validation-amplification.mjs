// Validation cost of hostile params (issue 12, defect 3): CPU per parse and error-reply size, for the bounded
// schemas and for the same shape without bounds. Build first (`pnpm --filter @openclaw/protocol build`), then
// `node packages/protocol/bench/validation-amplification.mjs`. Numbers are medians of 11 runs after 3 warm-ups on this machine;
// compare within one run only.
import { z } from "zod";
import {
  ConnectParamsSchema,
  describeZodIssues,
  ExecApprovalRequestParamsSchema,
  zodIssueDetails,
} from "../dist/index.js";

const WARMUP = 3;
const RUNS = 11;
const client = { id: "cli", version: "1.0.0", platform: "linux", mode: "cli" };
const argv = (length) => Array.from({ length }, (_, index) => `arg-${index}`);

const unboundedConnect = z.looseObject({
  minProtocol: z.int(),
  maxProtocol: z.int(),
  client: z.looseObject({}),
  scopes: z.array(z.string().min(1)).optional(),
});
const unboundedApproval = z.object({ command: z.string(), commandArgv: z.array(z.string()).optional() });

const cases = [
  [
    "connect, scopes = 32k numbers",
    { minProtocol: 4, maxProtocol: 4, client, scopes: new Array(32_000).fill(1) },
  ],
  ["exec.approval.request, 300k argv", { command: "true", commandArgv: argv(300_000) }],
  ["exec.approval.request, 1M argv", { command: "true", commandArgv: argv(1_000_000) }],
];

function measure(schema, params) {
  for (let run = 0; run < WARMUP; run += 1) schema.safeParse(params).error?.issues;
  const times = [];
  let replyBytes = 0;
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    const parsed = schema.safeParse(params);
    const details = parsed.success ? undefined : { issues: describeZodIssues(parsed.error) };
    times.push(performance.now() - started);
    replyBytes = details ? JSON.stringify(details).length : 0;
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(RUNS / 2)], replyBytes };
}

function uncapped(schema, params) {
  const parsed = schema.safeParse(params);
  if (parsed.success) return 0;
  return JSON.stringify({ issues: parsed.error.issues.map(({ path, message }) => ({ path, message })) })
    .length;
}

const rows = cases.map(([name, params]) => {
  const bounded = name.startsWith("connect") ? ConnectParamsSchema : ExecApprovalRequestParamsSchema;
  const unbounded = name.startsWith("connect") ? unboundedConnect : unboundedApproval;
  const ours = measure(bounded, params);
  const before = measure(unbounded, params);
  return {
    case: name,
    "bounded ms": ours.ms.toFixed(3),
    "bounded reply B": ours.replyBytes,
    "issues (bounded)": zodIssueDetails(bounded.safeParse(params).error).issueCount,
    "unbounded ms": before.ms.toFixed(1),
    "unbounded reply B (all issues)": uncapped(unbounded, params),
  };
});
console.table(rows);
console.log(JSON.stringify({ bench: "validation-amplification", rows }));

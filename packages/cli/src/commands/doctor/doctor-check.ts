import type { Output } from "../../output.js";

export type DoctorStatus = "ok" | "warn" | "error" | "skipped";

/** One line of the doctor's checklist. `fix` says what to run or change; it never contains a secret. */
export interface DoctorCheck {
  id: string;
  status: DoctorStatus;
  message: string;
  fix?: string;
}

const MARKS: Record<DoctorStatus, string> = { ok: "✓", warn: "!", error: "✗", skipped: "-" };

export function check(id: string, status: DoctorStatus, message: string, fix?: string): DoctorCheck {
  return fix === undefined ? { id, status, message } : { id, status, message, fix };
}

/** The checklist as people read it: one mark per check, the fix indented under each problem, then a tally. */
export function printChecklist(output: Output, checks: readonly DoctorCheck[], heading: string): void {
  const lines = [heading];
  for (const item of checks) {
    lines.push(`${MARKS[item.status]} ${item.message}`);
    if (item.fix !== undefined && item.status !== "ok") lines.push(`    fix: ${item.fix}`);
  }
  const count = (status: DoctorStatus) => checks.filter((item) => item.status === status).length;
  lines.push(
    "",
    `${count("ok")} ok, ${count("warn")} warning(s), ${count("error")} error(s), ${count("skipped")} skipped`,
  );
  output.out(lines.join("\n"));
}

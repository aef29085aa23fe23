import { readdir } from "node:fs/promises";
import { dirname } from "node:path";
import { inspectSessionIndexes, repairSessionIndexes, type SessionIndexHealth } from "@openclaw/sessions";
import { check, type DoctorCheck } from "./doctor-check.js";

const REPAIR_FIX =
  "stop the gateway, then run `openclaw doctor --fix` (it rebuilds the index from the transcripts)";

function describeProblem(agent: SessionIndexHealth): string | undefined {
  if (agent.state === "corrupt") return `session index ${agent.indexPath} is unreadable`;
  if (agent.state === "missing") return `session index ${agent.indexPath} is missing`;
  if (agent.orphanTranscripts > 0) {
    return `${agent.orphanTranscripts} transcript(s) in ${dirname(agent.indexPath)} are not in the session index: those sessions are hidden`;
  }
  return undefined;
}

/** Damaged copies the gateway moved aside when it rebuilt an index at start (`sessions.json.corrupt-<ts>`). */
async function rebuiltEarlier(agent: SessionIndexHealth): Promise<string[]> {
  const names = await readdir(dirname(agent.indexPath)).catch(() => [] as string[]);
  return names.filter((name) => name.startsWith("sessions.json.corrupt-"));
}

/**
 * Every agent's session index against its transcripts. With `fix`, a damaged or incomplete index is rebuilt from the
 * transcripts, and the sessions brought back (and any whose key was lost) are reported.
 */
export async function checkSessionIndexes(stateDir: string, fix: boolean): Promise<DoctorCheck[]> {
  let agents = await inspectSessionIndexes(stateDir);
  const checks: DoctorCheck[] = [];
  const problems = agents.filter((agent) => describeProblem(agent) !== undefined);
  if (fix && problems.length > 0) {
    const repaired = await repairSessionIndexes(stateDir);
    for (const { agentId, adopted } of repaired) {
      if (adopted.length === 0) continue;
      const lost = adopted.filter((item) => item.source === "none").map((item) => item.key);
      const message = `repaired the session index of agent "${agentId}": ${adopted.length} session(s) restored from transcripts`;
      checks.push(
        lost.length === 0
          ? check("sessions", "ok", message)
          : check(
              "sessions",
              "warn",
              `${message}; ${lost.length} had no recoverable key and are kept as ${lost.slice(0, 5).join(", ")}`,
              "rename or delete them with `openclaw sessions` once you know what they were",
            ),
      );
    }
    agents = await inspectSessionIndexes(stateDir);
  }
  for (const agent of agents) {
    const problem = describeProblem(agent);
    if (problem !== undefined) {
      checks.push(check("sessions", "error", problem, REPAIR_FIX));
      continue;
    }
    const copies = await rebuiltEarlier(agent);
    if (copies.length > 0) {
      checks.push(
        check(
          "sessions",
          "warn",
          `the session index of agent "${agent.agentId}" was damaged and rebuilt from the transcripts (damaged copy: ${copies.at(-1)})`,
          `check the sessions with \`openclaw sessions list\`, then delete ${dirname(agent.indexPath)}/sessions.json.corrupt-*`,
        ),
      );
    }
  }
  // No legacy files at all (a SQLite or PostgreSQL install): the storage line says everything.
  if (checks.length === 0 && agents.length > 0) {
    const total = agents.reduce((sum, agent) => sum + agent.sessions, 0);
    checks.push(
      check("sessions", "ok", `legacy session files: ${total} session(s) across ${agents.length} agent(s)`),
    );
  }
  return checks;
}

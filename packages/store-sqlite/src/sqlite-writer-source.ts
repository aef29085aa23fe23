import { QUIET_SQLITE_WARNING_SOURCE } from "./load-node-sqlite.js";

/** Most writes committed in one transaction: bounds how long one commit keeps the next batch waiting. */
export const MAX_WRITES_PER_COMMIT = 128;
/** How often the writer thread folds the WAL back into the database file, between commits. */
export const CHECKPOINT_INTERVAL_MS = 200;
/** SQLite's own checkpoint threshold on the writer: only a backstop if the timed checkpoints fall behind. */
export const BACKSTOP_CHECKPOINT_PAGES = 10_000;

/**
 * The writer thread, plain JavaScript evaluated by `new Worker(source, { eval: true })`, so the package needs no
 * second entry file (and a bundler that inlines this package cannot lose one). It loads modules with
 * `process.getBuiltinModule`, not `require`: an eval'd worker inherits `--input-type=module` from its process, and
 * is then an ES module without `require`. It owns the only connection that writes. Protocol (`sqlite-writer.ts` is the other side):
 *
 * - in: `{ type: "write", requests: [{ id, op }] }`, `{ type: "stop" }`
 * - out: `{ type: "ready" }` or `{ type: "open-failed", message }` once, then
 *   `{ type: "settled", outcomes: [{ id, ok: true, value } | { id, ok: false, error }] }` after each COMMIT, and
 *   `{ type: "stopped" }`.
 *
 * Group commit: every request queued when the thread gets to run goes into one transaction (up to
 * MAX_WRITES_PER_COMMIT), each inside its own savepoint, so a version conflict is undone alone while the others
 * commit. Outcomes are posted only after COMMIT returned (with synchronous = FULL: after the fsync). Version
 * conflicts travel as data (`{ kind: "session-conflict" | "table-conflict", ... }`) and are rebuilt as the same
 * `SessionError`s on the main thread; anything else as `{ kind: "sqlite", message, code, errcode, errstr }`.
 */
export const WRITER_SOURCE = `
"use strict";
const { parentPort, workerData } = process.getBuiltinModule("node:worker_threads");
${QUIET_SQLITE_WARNING_SOURCE}
const { DatabaseSync } = quietSqliteWarning(() => process.getBuiltinModule("node:sqlite"));

class Conflict {
  constructor(detail) {
    this.detail = detail;
  }
}

function describeError(error) {
  if (error instanceof Conflict) return error.detail;
  return {
    kind: "sqlite",
    message: String(error && error.message !== undefined ? error.message : error),
    code: error && error.code,
    errcode: error && error.errcode,
    errstr: error && error.errstr,
  };
}

function openWriter() {
  const db = new DatabaseSync(workerData.path);
  db.exec("PRAGMA busy_timeout = " + Number(workerData.busyTimeoutMs));
  db.exec("PRAGMA synchronous = " + (workerData.synchronous === "full" ? "FULL" : "NORMAL"));
  db.exec("PRAGMA foreign_keys = OFF");
  db.exec("PRAGMA wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}");
  return db;
}

let db;
try {
  db = openWriter();
} catch (error) {
  parentPort.postMessage({ type: "open-failed", message: describeError(error).message });
  parentPort.close();
}

if (db) {
  const statements = new Map();
  const statement = (sql) => {
    let prepared = statements.get(sql);
    if (!prepared) {
      prepared = db.prepare(sql);
      statements.set(sql, prepared);
    }
    return prepared;
  };

  const sessionVersion = (key) => {
    const row = statement("SELECT version FROM sessions WHERE key = ?").get(key);
    return row ? Number(row.version) : 0;
  };

  const writeSession = (row) => {
    const changed =
      row.expectedVersion === 0
        ? statement(
            "INSERT INTO sessions (key, agent_id, session_id, updated_at, pinned_active, archived, label, kind, channel, search_text, entry, version) " +
              "VALUES ($key, $agent_id, $session_id, $updated_at, $pinned_active, $archived, $label, $kind, $channel, $search_text, $entry, 1) " +
              "ON CONFLICT (key) DO NOTHING",
          ).run(row.columns).changes
        : statement(
            "UPDATE sessions SET agent_id = $agent_id, session_id = $session_id, updated_at = $updated_at, " +
              "pinned_active = $pinned_active, archived = $archived, label = $label, kind = $kind, channel = $channel, " +
              "search_text = $search_text, entry = $entry, version = version + 1 WHERE key = $key AND version = $expected",
          ).run({ ...row.columns, $expected: row.expectedVersion }).changes;
    if (Number(changed) !== 1) {
      throw new Conflict({
        kind: "session-conflict",
        key: row.key,
        expected: row.expectedVersion,
        actual: sessionVersion(row.key),
      });
    }
  };

  const deleteTranscript = (sessionId) =>
    statement("DELETE FROM transcript_entries WHERE session_id = ?").run(sessionId);

  const appendLines = (sessionId, lines) => {
    const insert = statement("INSERT INTO transcript_entries (session_id, seq, entry) VALUES (?, ?, ?)");
    const last = statement("SELECT COALESCE(MAX(seq), 0) AS n FROM transcript_entries WHERE session_id = ?").get(sessionId);
    let seq = Number(last ? last.n : 0);
    for (const line of lines) insert.run(sessionId, ++seq, line);
  };

  const operations = {
    putSession(op) {
      writeSession(op.row);
      return null;
    },
    deleteSession(op) {
      const row = statement("SELECT session_id, version FROM sessions WHERE key = ?").get(op.key);
      const actual = row ? Number(row.version) : 0;
      if (op.expectedVersion !== undefined && op.expectedVersion !== actual) {
        throw new Conflict({ kind: "session-conflict", key: op.key, expected: op.expectedVersion, actual });
      }
      if (!row) return false;
      statement("DELETE FROM sessions WHERE key = ?").run(op.key);
      if (op.deleteTranscript) deleteTranscript(String(row.session_id));
      return true;
    },
    appendTranscript(op) {
      // The row first: a conflicting row write throws before anything is appended.
      if (op.row) writeSession(op.row);
      appendLines(op.sessionId, op.lines);
      return null;
    },
    replaceTranscript(op) {
      if (op.row) writeSession(op.row);
      deleteTranscript(op.sessionId);
      appendLines(op.sessionId, op.lines);
      return null;
    },
    deleteTranscript(op) {
      deleteTranscript(op.sessionId);
      return null;
    },
    tablePut(op) {
      const current = statement("SELECT version FROM kv WHERE name = ? AND key = ?").get(op.name, op.key);
      const actual = current ? Number(current.version) : 0;
      if (op.expectedVersion !== undefined && op.expectedVersion !== actual) {
        throw new Conflict({ kind: "table-conflict", table: op.name, key: op.key, expected: op.expectedVersion, actual });
      }
      statement(
        "INSERT INTO kv (name, key, value, version) VALUES (?, ?, ?, 1) " +
          "ON CONFLICT (name, key) DO UPDATE SET value = excluded.value, version = version + 1",
      ).run(op.name, op.key, op.json);
      return actual + 1;
    },
    tableDelete(op) {
      return Number(statement("DELETE FROM kv WHERE name = ? AND key = ?").run(op.name, op.key).changes) === 1;
    },
    recordUsage(op) {
      const insert = statement(
        "INSERT INTO usage_rows (run_id, provider, model, ts, session_key, session_id, agent_id, channel, calls, " +
          "input, output, cache_read, cache_write, cost_input, cost_output, cost_cache_read, cost_cache_write, " +
          "cost_total, duration_ms, tool_calls, errors, first_of_turn) VALUES ($run_id, $provider, $model, $ts, $session_key, " +
          "$session_id, $agent_id, $channel, $calls, $input, $output, $cache_read, $cache_write, $cost_input, " +
          "$cost_output, $cost_cache_read, $cost_cache_write, $cost_total, $duration_ms, $tool_calls, $errors, $first_of_turn) " +
          "ON CONFLICT (run_id, provider, model) DO NOTHING",
      );
      for (const row of op.rows) insert.run(row);
      return null;
    },
  };

  const commit = (batch) => {
    try {
      db.exec("BEGIN IMMEDIATE");
    } catch (error) {
      return batch.map(({ id }) => ({ id, ok: false, error: describeError(error) }));
    }
    const outcomes = [];
    for (const { id, op } of batch) {
      db.exec("SAVEPOINT write");
      try {
        const value = operations[op.kind](op);
        db.exec("RELEASE write");
        outcomes.push({ id, ok: true, value });
      } catch (error) {
        db.exec("ROLLBACK TO write");
        db.exec("RELEASE write");
        outcomes.push({ id, ok: false, error: describeError(error) });
      }
    }
    try {
      db.exec("COMMIT");
    } catch (error) {
      if (db.isTransaction) db.exec("ROLLBACK");
      return batch.map(({ id }) => ({ id, ok: false, error: describeError(error) }));
    }
    return outcomes;
  };

  const queue = [];
  let scheduled = false;
  let stopping = false;

  const stop = () => {
    clearInterval(checkpointTimer);
    db.close();
    parentPort.postMessage({ type: "stopped" });
    parentPort.close();
  };

  // setImmediate runs after every message already delivered to this thread, so one commit takes all of them.
  const flush = () => {
    scheduled = false;
    const batch = queue.splice(0, ${MAX_WRITES_PER_COMMIT});
    if (batch.length > 0) parentPort.postMessage({ type: "settled", outcomes: commit(batch) });
    if (queue.length > 0) schedule();
    else if (stopping) stop();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };

  // A passive checkpoint between commits: it never blocks readers, and it keeps SQLite from checkpointing
  // inside a commit (which would hold that commit's acknowledgement).
  const checkpoint = statement("PRAGMA wal_checkpoint(PASSIVE)");
  const checkpointTimer = setInterval(() => {
    try {
      checkpoint.get();
    } catch {
      // Busy (another process) or interrupted: the next tick tries again, and the backstop threshold still holds.
    }
  }, ${CHECKPOINT_INTERVAL_MS});

  parentPort.on("message", (message) => {
    if (message.type === "write") {
      for (const request of message.requests) queue.push(request);
      schedule();
    } else if (message.type === "stop") {
      stopping = true;
      if (!scheduled && queue.length === 0) stop();
    }
  });
  parentPort.postMessage({ type: "ready" });
}
`;

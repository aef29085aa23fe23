import { describeError } from "./model-attempt.js";
import type { RunDependencies } from "./run-dependencies.js";
import type { TranscriptEntry } from "./types.js";

/** What a run reads of its session before asking the model; a part that cannot be read falls back, never fails. */
export interface SessionReads {
  history: Promise<TranscriptEntry[]>;
  /** The pinned model; undefined when the request names its own (then it is not read). */
  model: Promise<string | undefined>;
  thinkingLevel: Promise<string | undefined>;
}

/**
 * Asks for the session's history, pinned model and thinking level at once: on a networked store that is one round
 * trip instead of three in a row, the session store reading the row once for all of them.
 */
export function readSession(sessionKey: string, deps: RunDependencies, withModel: boolean): SessionReads {
  return {
    history: readHistory(sessionKey, deps),
    model: withModel
      ? sessionSetting(
          deps.sessionModel,
          sessionKey,
          deps,
          "agent session model unreadable; using the configured model",
        )
      : Promise.resolve(undefined),
    thinkingLevel: sessionSetting(
      deps.sessionThinkingLevel,
      sessionKey,
      deps,
      "agent session thinking level unreadable; using the configured default",
    ),
  };
}

/**
 * A setting stored on the session (`read` unset: none). One that cannot be read leaves the configuration in charge
 * rather than failing the run, with a warning naming which setting was skipped.
 */
async function sessionSetting(
  read: ((sessionKey: string) => Promise<string | undefined>) | undefined,
  sessionKey: string,
  deps: RunDependencies,
  warning: string,
): Promise<string | undefined> {
  try {
    return await read?.(sessionKey);
  } catch (error) {
    deps.logger.warn(warning, { sessionKey, error: describeError(error) });
    return undefined;
  }
}

async function readHistory(sessionKey: string, deps: RunDependencies): Promise<TranscriptEntry[]> {
  try {
    return await deps.transcripts.read(sessionKey);
  } catch (error) {
    deps.logger.error("agent transcript read failed; running without history", {
      sessionKey,
      error: describeError(error),
    });
    return [];
  }
}

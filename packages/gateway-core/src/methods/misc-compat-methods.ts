import { randomUUID } from "node:crypto";
import { GatewayError, type MISC_COMPAT_CONTRACTS, MiscCompatErrorDetailCodes } from "@openclaw/protocol";
import { buildConfigJsonSchema } from "../config/config-json-schema.js";
import { lookupConfigSchema } from "../config/config-schema-lookup.js";
import { classifyConfigPath } from "../reload/config-reload-plan.js";
import type { MethodHandlers } from "../runtime/method-registry.js";
import { readUserPrefs, writeUserPrefs } from "./misc-compat-prefs.js";

/** OpenClaw's answer for a wizard session it does not know; here no wizard session ever exists. */
function wizardNotFound(): never {
  throw new GatewayError("INVALID_REQUEST", "wizard not found", {
    details: { code: MiscCompatErrorDetailCodes.WIZARD_NOT_FOUND },
  });
}

/** Handlers for `MISC_COMPAT_CONTRACTS`. */
export const miscCompatMethods: Pick<MethodHandlers, keyof typeof MISC_COMPAT_CONTRACTS> = {
  "config.schema.lookup": ({ path }) => {
    const found = lookupConfigSchema(buildConfigJsonSchema(), path, classifyConfigPath);
    if (!found) {
      throw new GatewayError(
        "INVALID_REQUEST",
        `config schema path not found: ${path} (config.schema lists every path; "." is the root)`,
      );
    }
    return found;
  },
  "users.prefs.get": (params, { runtime }) => readUserPrefs(runtime.storage, params?.keys),
  "users.prefs.set": ({ entries, expectedEntries }, { runtime }) =>
    writeUserPrefs(runtime.storage, entries, expectedEntries),
  // Usage windows come from each provider's account API, which this gateway does not query: every configured
  // model provider is listed, with no windows (OpenClaw's clients print it as "no data").
  "usage.status": (_params, { runtime }) => {
    const providers = Object.keys(runtime.configState.current.config.models?.providers ?? {}).sort();
    return {
      updatedAt: Date.now(),
      providers: providers.map((provider) => ({ provider, displayName: provider, windows: [] })),
    };
  },
  // No setup wizard runs inside this gateway. A start ends at once, in OpenClaw's shape for a wizard that failed,
  // with the reason; the session it names is already gone, as OpenClaw purges a finished one.
  "wizard.start": () => ({
    sessionId: randomUUID(),
    done: true as const,
    status: "error" as const,
    error:
      "This gateway has no hosted setup wizard: configure it by editing openclaw.json (or with config.patch), then restart if asked.",
  }),
  "wizard.next": wizardNotFound,
  "wizard.cancel": wizardNotFound,
  "wizard.status": wizardNotFound,
};

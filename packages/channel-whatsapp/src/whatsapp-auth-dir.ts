import { homedir } from "node:os";
import { join } from "node:path";

/** Overrides `~/.openclaw` as the root of the gateway's state, credentials included. */
export const OPENCLAW_STATE_DIR_ENV = "OPENCLAW_STATE_DIR";

/**
 * The directory holding an account's linked-device credentials: `config.authDir` when the gateway sets it,
 * else `<state dir>/credentials/whatsapp/<accountId>`.
 */
export function resolveWhatsAppAuthDir(
  authDir: string | undefined,
  accountId: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (authDir !== undefined) return authDir;
  const stateDir = env[OPENCLAW_STATE_DIR_ENV] || join(homedir(), ".openclaw");
  return join(stateDir, "credentials", "whatsapp", accountId);
}

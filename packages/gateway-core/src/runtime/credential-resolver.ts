import type { GatewayCredential } from "../auth/verify-credential.js";
import { type OpenClawConfig, resolveGatewayCredential } from "../config/index.js";
import type { GatewayAuthOptions } from "./gateway-runtime-deps.js";

/** Resolves the credential fresh on every call: a rotated token or an edited config takes effect at once. */
export function createCredentialResolver(o: {
  config: () => OpenClawConfig;
  env: NodeJS.ProcessEnv;
  auth?: GatewayAuthOptions;
}): () => Promise<GatewayCredential> {
  return async () => {
    const resolved = await resolveGatewayCredential({
      config: o.config(),
      env: o.env,
      flagToken: o.auth?.token,
      flagPassword: o.auth?.password,
      flagMode: o.auth?.mode,
    });
    return { mode: resolved.mode, secret: resolved.secret };
  };
}

/** A hook token equal to the gateway credential would let anyone holding one act as the other: said once at start. */
export async function warnIfHookTokenIsCredential(
  config: OpenClawConfig,
  resolveCredential: () => Promise<GatewayCredential>,
  logger: { warn(message: string): void },
): Promise<void> {
  const hookToken = config.hooks?.token;
  const credential = await resolveCredential();
  if (hookToken && credential.secret && hookToken === credential.secret) {
    logger.warn("hooks.token is the same as the gateway credential: give hooks a token of their own");
  }
}

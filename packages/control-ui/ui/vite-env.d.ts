/// <reference types="vite/client" />

/** The gateway `vite dev` connects to (OPENCLAW_GATEWAY_URL); empty in a build. See vite.config.ts. */
declare const __OPENCLAW_DEV_GATEWAY_URL__: string;

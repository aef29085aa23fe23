import { fileURLToPath } from "node:url";

/**
 * Absolute path of the built Control UI (`<package>/dist/ui`, holding `index.html` and `assets/`). Hand it to
 * `startGateway({ controlUiRoot })`. Resolved from this module's own location, so it is right wherever the package
 * is installed; `../dist/ui` is correct both from `dist/index.js` and from `src/index.ts` (tests).
 */
export function controlUiAssetsDir(): string {
  return fileURLToPath(new URL("../dist/ui", import.meta.url));
}

export interface ControlUiSite {
  /** Absolute folder holding `index.html` and the built assets. */
  root: string;
  /** URL prefix without a trailing slash; `""` serves the UI at the root. */
  basePath: string;
}

/** `"/openclaw/"` and `"/openclaw"` both become `"/openclaw"`; `"/"` and unset become `""`. */
export function normalizeBasePath(basePath: string | undefined): string {
  return basePath ? basePath.replace(/\/+$/, "") : "";
}

export {
  DEFAULT_OTLP_ENDPOINT,
  type OtelConfig,
  OtelConfigError,
  type ResolvedOtelOptions,
  resolveOtelOptions,
} from "./otel-options.js";
export {
  type OtelDiagnostics,
  type OtelDiagnosticsOptions,
  startOtelDiagnostics,
} from "./start-otel-diagnostics.js";

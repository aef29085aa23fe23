import type { IncomingMessage, ServerResponse } from "node:http";
import { type GatewayError, scopeSatisfies } from "@openclaw/protocol";
import { sendJson } from "../http-json/send-json.js";
import type { GatewayRuntime } from "../runtime/gateway-runtime.js";

/** OpenClaw's path for the `diagnostics-prometheus` plugin's route. */
export const PROMETHEUS_PATH = "/api/diagnostics/prometheus";

const REQUIRED_SCOPE = "operator.read";

/**
 * `GET /api/diagnostics/prometheus`: the exporter's metrics in the text exposition format, for a caller holding
 * the gateway credential with `operator.read` (or a scope implying it). Served only while the route is enabled
 * (see `prometheusEnabled`); otherwise a 404 names the setting.
 */
export async function handlePrometheusRoute(
  request: IncomingMessage,
  response: ServerResponse,
  runtime: GatewayRuntime,
  auth: {
    authorize: () => Promise<GatewayError | undefined>;
    refuse: (error: GatewayError) => void;
  },
): Promise<void> {
  const exporter = runtime.prometheus;
  if (!exporter) {
    request.resume();
    sendJson(response, 404, {
      error: {
        code: "NOT_FOUND",
        message:
          "the Prometheus route is off: set diagnostics.prometheus.enabled to true (diagnostics.enabled must not be false) and restart the gateway",
      },
    });
    return;
  }
  if (request.method !== "GET" && request.method !== "HEAD") {
    request.resume();
    sendJson(
      response,
      405,
      { error: { code: "INVALID_REQUEST", message: "use GET" } },
      { allow: "GET, HEAD" },
    );
    return;
  }
  const authError = await auth.authorize();
  if (authError) {
    auth.refuse(authError);
    return;
  }
  if (!scopeSatisfies(runtime.credentialScopes(), REQUIRED_SCOPE)) {
    sendJson(response, 403, {
      error: {
        code: "FORBIDDEN",
        message: `missing scope: ${REQUIRED_SCOPE}`,
        details: { code: "MISSING_SCOPE", missingScope: REQUIRED_SCOPE },
      },
    });
    return;
  }
  let text: string;
  try {
    text = await exporter.render();
  } catch (error) {
    sendJson(response, 503, { error: { code: "UNAVAILABLE", message: (error as Error).message } });
    return;
  }
  response.writeHead(200, {
    "content-type": exporter.contentType,
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  response.end(request.method === "HEAD" ? undefined : text);
}

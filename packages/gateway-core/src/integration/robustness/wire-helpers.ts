import { request as httpRequest } from "node:http";
import { METHOD_CONTRACTS } from "@openclaw/protocol";
import type { z } from "zod";

export interface HttpAnswer {
  status: number;
  body: string;
}

/** An HTTP request with full control of the headers, `Host` included (fetch does not allow forging it). */
export function rawHttp(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpAnswer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: options.method ?? "GET",
        path: options.path ?? "/",
        headers: options.headers,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Every served method with the field names of its params object, for the fuzzer's wrong-type frames. */
export function methodFields(): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const [method, contract] of Object.entries(METHOD_CONTRACTS)) {
    let schema = contract.params as z.ZodType & { _zod: { def: { type: string; getter?: () => z.ZodType } } };
    if (schema._zod.def.type === "lazy" && schema._zod.def.getter)
      schema = schema._zod.def.getter() as typeof schema;
    const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
    fields[method] = shape ? Object.keys(shape) : [];
  }
  return fields;
}

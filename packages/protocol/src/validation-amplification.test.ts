import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { boundedJson, jsonBoundsViolation } from "./bounded-schemas.js";
import { describeZodIssues, zodIssueDetails } from "./errors.js";
import { parseInboundRequest } from "./frames.js";
import { ConnectParamsSchema } from "./handshake.js";
import { LIMITS } from "./limits.js";
import { ExecApprovalRequestParamsSchema } from "./methods/approvals.js";
import { PRE_AUTH_MAX_PAYLOAD } from "./version.js";

/** An array that counts how many of its elements are read: zero means a check rejected it on its length alone. */
function countingArray<T>(items: T[]): { array: T[]; reads: () => number } {
  let reads = 0;
  const array = new Proxy(items, {
    get(target, key, receiver) {
      if (typeof key === "string" && /^\d+$/.test(key)) reads += 1;
      return Reflect.get(target, key, receiver);
    },
  });
  return { array, reads: () => reads };
}

/** The error reply the gateway builds from a failed parse (see method-registry and gateway-connection). */
function errorReplyBytes(error: z.ZodError): number {
  const issues = describeZodIssues(error);
  const first = issues[0];
  return JSON.stringify({
    type: "res",
    id: "connect-1",
    ok: false,
    error: {
      code: "INVALID_REQUEST",
      message: `invalid connect params: ${first?.path}: ${first?.message}`,
      details: { code: "INVALID_PARAMS", ...zodIssueDetails(error) },
    },
  }).length;
}

const client = { id: "cli", version: "1.0.0", platform: "linux", mode: "cli" };

describe("a pre-auth connect with 32k numbers in `scopes` (issue 12, defect 3)", () => {
  const scopes = new Array<number>(32_000).fill(1);
  const params = { minProtocol: 4, maxProtocol: 4, client, scopes };

  it("fits in one pre-auth frame, as the attack did", () => {
    const frame = JSON.stringify({ type: "req", id: "connect-1", method: "connect", params });
    expect(frame.length).toBeGreaterThan(62 * 1024);
    expect(frame.length).toBeLessThan(PRE_AUTH_MAX_PAYLOAD);
  });

  it("is rejected on the array's length, without reading one element", () => {
    const counted = countingArray(scopes);
    const parsed = ConnectParamsSchema.safeParse({ ...params, scopes: counted.array });
    expect(parsed.success).toBe(false);
    expect(counted.reads()).toBe(0);
    expect(parsed.error?.issues).toHaveLength(1);
    expect(describeZodIssues(parsed.error as z.ZodError)[0]?.path).toBe("scopes");
  });

  it("gets an error reply under 4 KB", () => {
    const parsed = ConnectParamsSchema.safeParse(params);
    expect(errorReplyBytes(parsed.error as z.ZodError)).toBeLessThan(4096);
  });
});

describe("exec.approval.request with 300k argv elements", () => {
  const argv = Array.from({ length: 300_000 }, (_, index) => `arg${index}`);

  it("is rejected on the array's length, without reading one element, with a small error", () => {
    const counted = countingArray(argv);
    const parsed = ExecApprovalRequestParamsSchema.safeParse({ command: "ls", commandArgv: counted.array });
    expect(parsed.success).toBe(false);
    expect(counted.reads()).toBe(0);
    expect(errorReplyBytes(parsed.error as z.ZodError)).toBeLessThan(4096);
  });

  it("still accepts argv up to the limit", () => {
    const parsed = ExecApprovalRequestParamsSchema.safeParse({
      command: "ls",
      commandArgv: argv.slice(0, LIMITS.argv),
    });
    expect(parsed.success).toBe(true);
  });
});

describe("error replies are capped", () => {
  it("lists the first issues, each cut short, and says how many there were", () => {
    const wrongTypes = Array.from({ length: LIMITS.argv }, () => 7);
    const parsed = ExecApprovalRequestParamsSchema.safeParse({ commandArgv: wrongTypes });
    const error = parsed.error as z.ZodError;
    expect(error.issues).toHaveLength(LIMITS.argv);
    const details = zodIssueDetails(error);
    expect(details.issues).toHaveLength(LIMITS.errorIssues);
    expect(details).toMatchObject({ issueCount: LIMITS.argv, truncated: true });
    expect(errorReplyBytes(error)).toBeLessThan(4096);
  });

  it("cuts a long message (a strict object lists every unknown key)", () => {
    const extra = Object.fromEntries(Array.from({ length: 2_000 }, (_, index) => [`unknown${index}`, 1]));
    const parsed = ExecApprovalRequestParamsSchema.safeParse(extra);
    const [issue] = describeZodIssues(parsed.error as z.ZodError);
    expect(issue?.message.length).toBeLessThanOrEqual(LIMITS.errorTextChars);
    expect(errorReplyBytes(parsed.error as z.ZodError)).toBeLessThan(4096);
  });
});

describe("free-form values and records", () => {
  function nested(depth: number): unknown {
    let value: unknown = "leaf";
    for (let level = 0; level < depth; level += 1) value = [value];
    return value;
  }

  it("refuses nesting deeper than the limit, without recursion", () => {
    expect(jsonBoundsViolation([nested(LIMITS.jsonDepth)])).toBeUndefined();
    expect(jsonBoundsViolation([nested(LIMITS.jsonDepth + 1)])).toMatch(/deeper than/);
    expect(boundedJson().safeParse(nested(200_000)).success).toBe(false);
  });

  it("refuses a wide value after looking at no more than the budget", () => {
    const counted = countingArray(new Array<number>(1_000_000).fill(0));
    expect(jsonBoundsViolation([counted.array])).toMatch(/more than/);
    expect(counted.reads()).toBe(0);
  });

  it("counts a record's keys before parsing any value", () => {
    let valueReads = 0;
    const env = new Proxy(
      Object.fromEntries(Array.from({ length: 5_000 }, (_, index) => [`K${index}`, "v"])),
      {
        get(target, key, receiver) {
          valueReads += 1;
          return Reflect.get(target, key, receiver);
        },
      },
    );
    const result = ExecApprovalRequestParamsSchema.safeParse({ command: "ls", env });
    expect(result.success).toBe(false);
    expect(valueReads).toBe(0);
  });

  it("keeps a connect's unknown fields, within bounds", () => {
    const parsed = ConnectParamsSchema.safeParse({
      minProtocol: 4,
      maxProtocol: 4,
      client,
      modelCatalog: {},
    });
    expect(parsed.success && (parsed.data as Record<string, unknown>).modelCatalog).toEqual({});
    const deep = ConnectParamsSchema.safeParse({ minProtocol: 4, maxProtocol: 4, client, extra: nested(64) });
    expect(deep.success).toBe(false);
  });
});

describe("frames never echo large input", () => {
  it("drops an over-long id and method from the error", () => {
    const longId = "i".repeat(LIMITS.idChars + 1);
    const error = (() => {
      try {
        parseInboundRequest(JSON.stringify({ type: "req", id: longId, method: "m".repeat(100_000) }));
      } catch (thrown) {
        return thrown as { details?: Record<string, unknown>; message: string };
      }
      throw new Error("expected a rejection");
    })();
    expect(error.details?.id).toBeUndefined();
    expect(error.message.length).toBeLessThan(200);
  });
});

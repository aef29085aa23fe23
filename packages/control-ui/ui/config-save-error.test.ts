import { GatewayError } from "@openclaw/client";
import { describe, expect, it } from "vitest";
import { describeConfigSaveError } from "./config-save-error.js";

describe("describeConfigSaveError", () => {
  it("lists the issues of an invalid config", () => {
    const error = new GatewayError(
      "INVALID_REQUEST",
      "the new config is invalid: gateway.port: expected number",
      {
        details: {
          code: "CONFIG_INVALID",
          issues: [
            { path: "gateway.port", message: "expected number" },
            { path: "", message: "bad root" },
            7,
          ],
        },
      },
    );
    expect(describeConfigSaveError(error)).toEqual({
      kind: "invalid",
      message: error.message,
      issues: [
        { path: "gateway.port", message: "expected number" },
        { path: "(root)", message: "bad root" },
      ],
    });
  });

  it("recognises a conflict and anything else", () => {
    const conflict = new GatewayError("INVALID_REQUEST", "the config changed", {
      details: { code: "CONFIG_CONFLICT", currentHash: "abc" },
    });
    expect(describeConfigSaveError(conflict)).toEqual({ kind: "conflict", message: "the config changed" });
    const broken = new GatewayError("INVALID_REQUEST", "the config file on disk is invalid", {
      details: { code: "CONFIG_FILE_INVALID", hash: "def" },
    });
    expect(describeConfigSaveError(broken)).toEqual({
      kind: "conflict",
      message: "the config file on disk is invalid",
    });
    expect(describeConfigSaveError(new GatewayError("FORBIDDEN", "needs operator.admin"))).toEqual({
      kind: "other",
      message: "needs operator.admin",
    });
    expect(describeConfigSaveError(new Error("socket closed"))).toEqual({
      kind: "other",
      message: "socket closed",
    });
  });
});

import { describe, expect, it } from "vitest";
import { parseCommandText } from "./command-text.js";

describe("parseCommandText", () => {
  it("reads the name lowercased and the rest as arguments", () => {
    expect(parseCommandText("/Model openai/gpt-5 -s")).toEqual({ name: "model", args: "openai/gpt-5 -s" });
    expect(parseCommandText("  /stop  ")).toEqual({ name: "stop", args: "" });
  });

  it("accepts OpenClaw's colon form and Telegram's bot suffix", () => {
    expect(parseCommandText("/think: high")).toEqual({ name: "think", args: "high" });
    expect(parseCommandText("/stop@OpenClawBot")).toEqual({ name: "stop", args: "" });
    expect(parseCommandText("/new@OpenClawBot fast")).toEqual({ name: "new", args: "fast" });
  });

  it("keeps arguments over several lines", () => {
    expect(parseCommandText("/new\nhello there")).toEqual({ name: "new", args: "hello there" });
  });

  it("does not take paths, prose or overlong names for commands", () => {
    expect(parseCommandText("/usr/bin/env is missing")).toBeUndefined();
    expect(parseCommandText("see /status")).toBeUndefined();
    expect(parseCommandText("/")).toBeUndefined();
    expect(parseCommandText("/9lives")).toBeUndefined();
    expect(parseCommandText(`/${"a".repeat(33)}`)).toBeUndefined();
  });
});

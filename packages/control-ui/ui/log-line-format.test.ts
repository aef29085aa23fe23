import { describe, expect, it } from "vitest";
import { formatLogLine } from "./log-line-format.js";

describe("formatLogLine", () => {
  it("turns a gateway JSON record into time, level, message and fields", () => {
    const line = JSON.stringify({
      ts: "2026-11-24T12:45:34.207Z",
      level: "info",
      msg: "gateway listening",
      url: "ws://127.0.0.1:1",
      protocol: 4,
      note: "two words",
    });
    expect(formatLogLine(line)).toEqual({
      text: '12:45:34 info  gateway listening url=ws://127.0.0.1:1 protocol=4 note="two words"',
      level: "info",
    });
  });

  it("shows other lines unchanged", () => {
    expect(formatLogLine("plain text")).toEqual({ text: "plain text" });
    expect(formatLogLine("[1,2]")).toEqual({ text: "[1,2]" });
    expect(formatLogLine('{"level":"info"}')).toEqual({ text: '{"level":"info"}' });
  });
});

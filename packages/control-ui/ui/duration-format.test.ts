import { describe, expect, it } from "vitest";
import { formatDuration } from "./duration-format.js";

describe("formatDuration", () => {
  it("drops leading zero units", () => {
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(59_999)).toBe("59s");
    expect(formatDuration(61_000)).toBe("1m 1s");
    expect(formatDuration(3_600_000)).toBe("1h 0m 0s");
    expect(formatDuration(93_784_000)).toBe("1d 2h 3m 4s");
  });
});

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { contract } from "@openclaw/protocol";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  COMPAT_TABLE_END,
  COMPAT_TABLE_START,
  countMethods,
  normalizeMarkdownTables,
  renderCompatibilityTable,
  replaceCompatTable,
} from "./compat-table.js";

const README = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "README.md");

/** The methods of OpenClaw's published protocol schema (the oracle the conformance tests use). */
function openClawMethods(): string[] {
  const entry = createRequire(import.meta.url).resolve("@openclaw/gateway-protocol");
  const schema = JSON.parse(readFileSync(join(dirname(dirname(entry)), "protocol.schema.json"), "utf8")) as {
    methods: Record<string, unknown>;
  };
  return Object.keys(schema.methods);
}

const empty = z.object({});
const sample = {
  "sessions.list": contract("operator.read", empty, empty),
  "board.get": contract("operator.read", empty, empty, { unavailable: "no boards: an empty list" }),
  "ours.only": contract("operator.read", empty, empty),
};

describe("the compatibility table", () => {
  it("counts served, unavailable, missing and ours-only methods per family", () => {
    expect(countMethods(["sessions.list", "sessions.get", "board.get"], sample)).toEqual({
      openClaw: 3,
      served: 3,
      unavailable: 1,
      servedOfOpenClaw: 2,
      oursOnly: 1,
    });
    const table = renderCompatibilityTable(["sessions.list", "sessions.get", "board.get"], sample);
    expect(table).toContain("| `board` | 1 | 0 | 1 | 0 |");
    expect(table).toContain("| `sessions` | 2 | 1 | 0 | 1 |");
    expect(table).toContain("| `ours` | 0 | 1 | 0 | 0 |");
    expect(table).toContain("- `board.get`: no boards: an empty list");
  });

  it("lists each config section with what it honours and what it reports", () => {
    const table = renderCompatibilityTable([], sample);
    expect(table).toMatch(/\| `discovery` \| reported unsupported \| 0 \| the whole section \|/);
    expect(table).toMatch(/\| `agents` \| partly \| \d+ \| \d+ \|/);
    expect(table).toMatch(/\| `channels` \| partly \| per channel plugin \| \d+ \|/);
    expect(table).toContain("- `channels.telegram.webhookUrl`: use mode:");
    expect(table).not.toContain("accounts.*.webhookUrl");
    expect(table).toContain("- `<agent>.sandbox`: tools run on the gateway host without a sandbox");
    expect(table).toContain(
      "- `discovery`: no mDNS or wide-area advertisement; clients need the gateway's URL",
    );
  });

  it("compares tables without the padding Biome adds", () => {
    expect(normalizeMarkdownTables("| a   | bb |\n| --- | -- |\n| ccc | d  |\ntext  ")).toBe(
      normalizeMarkdownTables("| a | bb |\n| --- | --- |\n| ccc | d |\ntext"),
    );
  });

  it("replaces only the text between the markers", () => {
    const readme = `# Title\n${COMPAT_TABLE_START}\nold\n${COMPAT_TABLE_END}\nrest\n`;
    expect(replaceCompatTable(readme, "new")).toBe(
      `# Title\n${COMPAT_TABLE_START}\nnew\n${COMPAT_TABLE_END}\nrest\n`,
    );
    expect(() => replaceCompatTable("# no markers", "new")).toThrow(/compat-table:start/);
  });

  it("README.md holds the table as the code generates it (run `pnpm compat:table` when this fails)", () => {
    const readme = normalizeMarkdownTables(readFileSync(README, "utf8"));
    const expected = replaceCompatTable(
      readme,
      normalizeMarkdownTables(renderCompatibilityTable(openClawMethods())),
    );
    expect(readme, "README.md's compatibility table is stale: run `pnpm compat:table`").toBe(expected);
  });
});

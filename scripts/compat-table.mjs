#!/usr/bin/env node
// The README compatibility table, generated from the code (see renderCompatibilityTable in gateway-core).
//   node scripts/compat-table.mjs           rewrite the table between the compat-table markers in README.md
//   node scripts/compat-table.mjs --check   exit 1 when README.md's table is stale
//   node scripts/compat-table.mjs --methods print our method count against OpenClaw's
// Reads the built gateway-core (dist/); the package.json scripts build it first.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const gatewayCore = join(root, "packages", "gateway-core");
const { countMethods, normalizeMarkdownTables, renderCompatibilityTable, replaceCompatTable } = await import(
  join(gatewayCore, "dist", "index.js")
);

/** OpenClaw's published protocol schema (`@openclaw/gateway-protocol`, a devDependency of gateway-core). */
function openClawProtocol() {
  const entry = createRequire(join(gatewayCore, "package.json")).resolve("@openclaw/gateway-protocol");
  const schema = JSON.parse(readFileSync(join(dirname(dirname(entry)), "protocol.schema.json"), "utf8"));
  const pkg = JSON.parse(readFileSync(join(dirname(dirname(entry)), "package.json"), "utf8"));
  return { version: pkg.version, methods: Object.keys(schema.methods) };
}

const mode = process.argv[2] ?? "--write";
const protocol = openClawProtocol();

if (mode === "--methods") {
  const counts = countMethods(protocol.methods);
  const share = ((counts.servedOfOpenClaw / counts.openClaw) * 100).toFixed(1);
  console.log(`OpenClaw ${protocol.version} protocol: ${counts.openClaw} methods`);
  console.log(`this gateway:           ${counts.served} methods`);
  console.log(`  of OpenClaw's:        ${counts.servedOfOpenClaw} (${share}%)`);
  console.log(`  answering OpenClaw's unavailable shape: ${counts.unavailable}`);
  console.log(`  not in OpenClaw's protocol: ${counts.oursOnly}`);
  process.exit(0);
}

const readmePath = join(root, "README.md");
const readme = readFileSync(readmePath, "utf8");
const updated = replaceCompatTable(readme, renderCompatibilityTable(protocol.methods));
// Biome pads table cells in README.md, so tables are compared without their padding.
const stale = normalizeMarkdownTables(updated) !== normalizeMarkdownTables(readme);
if (mode === "--check") {
  if (stale) {
    console.error("README.md's compatibility table is stale: run `pnpm compat:table` and commit README.md");
    process.exit(1);
  }
  console.log("README.md's compatibility table is up to date");
} else if (mode === "--write") {
  if (stale) {
    writeFileSync(readmePath, updated);
    execFileSync(join(root, "node_modules", ".bin", "biome"), ["format", "--write", "README.md"], {
      cwd: root,
      stdio: "ignore",
    });
  }
  console.log(
    stale ? "README.md: compatibility table rewritten" : "README.md's compatibility table is up to date",
  );
} else {
  console.error(`unknown option ${mode}: use --write, --check or --methods`);
  process.exit(2);
}

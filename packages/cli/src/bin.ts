#!/usr/bin/env node
import { nodeVersionProblem } from "./node-version-check.js";

const tooOld = nodeVersionProblem(process.version, process.execPath);
if (tooOld) {
  process.stderr.write(`${tooOld}\n`);
  process.exit(1);
}

// `openclaw ... | head` closes the pipe early; that is a normal way to stop reading, not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// Imported only after the version check: the CLI's modules use APIs an older Node.js does not have.
const { runCli } = await import("./cli.js");
const { withCommandHints } = await import("./output.js");
runCli(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      withCommandHints(`openclaw: ${error instanceof Error ? error.message : String(error)}\n`),
    );
    process.exitCode = 1;
  },
);

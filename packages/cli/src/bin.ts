#!/usr/bin/env node
import { runCli } from "./cli.js";

// `openclaw ... | head` closes the pipe early; that is a normal way to stop reading, not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

runCli(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`openclaw: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);

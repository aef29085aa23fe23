#!/usr/bin/env node
import { runCli } from "./cli.js";

runCli(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`openclaw: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);

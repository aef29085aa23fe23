// Preloaded with --import: appends the URL of every module the process loads to $OPENCLAW_TEST_LOADS_FILE, so a
// test can check what an idle gateway pulls in at start.
import { appendFileSync } from "node:fs";
import { registerHooks } from "node:module";

const file = process.env.OPENCLAW_TEST_LOADS_FILE;
if (file) {
  registerHooks({
    load(url, context, nextLoad) {
      appendFileSync(file, `${url}\n`);
      return nextLoad(url, context);
    },
  });
}

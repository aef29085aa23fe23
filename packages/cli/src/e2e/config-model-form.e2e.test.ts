import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type FakeModelServer, startFakeModelServer } from "@openclaw/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  cliEnv,
  freePort,
  makeStateDir,
  type RunningGateway,
  removeStateDir,
  runCli,
  startCliGateway,
} from "./cli-process.js";

const API_KEY = "ollama-local-key";

let stateDir: string;
let env: NodeJS.ProcessEnv;
let model: FakeModelServer;
let gateway: RunningGateway | undefined;

beforeEach(async () => {
  stateDir = await makeStateDir();
  env = cliEnv(stateDir);
  model = await startFakeModelServer({ apiKey: API_KEY });
});

afterEach(async () => {
  await gateway?.stop("SIGKILL");
  gateway = undefined;
  await model.close();
  await removeStateDir(stateDir);
});

function configureOllama(modelFlag: string) {
  return runCli(
    [
      "config",
      "--section",
      "models",
      "--provider",
      "openai-compatible",
      "--provider-id",
      "ollama",
      "--base-url",
      model.baseUrlFor("openai-completions"),
      "--api-key",
      API_KEY,
      "--model",
      modelFlag,
      "--non-interactive",
    ],
    env,
  );
}

async function readConfig() {
  return JSON.parse(await readFile(join(stateDir, "openclaw.json"), "utf8")) as {
    agents: { defaults: { model: { primary: string } } };
    models: { providers: { ollama: { models: { id: string }[] } } };
  };
}

describe("openclaw config --section models: the model given with or without its provider prefix", () => {
  it("stores one canonical form, whichever form was given", async () => {
    const prefixed = await configureOllama("ollama/llama3.2");
    expect(prefixed.code, prefixed.stderr).toBe(0);
    const config = await readConfig();
    expect(config.agents.defaults.model.primary).toBe("ollama/llama3.2");
    expect(config.models.providers.ollama.models).toEqual([{ id: "llama3.2" }]);

    const bare = await configureOllama("llama3.2");
    expect(bare.code, bare.stderr).toBe(0);
    expect(bare.stdout).toContain("Nothing changed");
    expect(await readConfig()).toEqual(config);
  });

  it("the gateway then asks the OpenAI-compatible server for model llama3.2 on a chat turn", async () => {
    const configured = await configureOllama("ollama/llama3.2");
    expect(configured.code, configured.stderr).toBe(0);
    const port = await freePort();
    gateway = startCliGateway(["--port", String(port)], env);
    await gateway.ready;

    const params = { sessionKey: "agent:main:main", message: "hello llama", idempotencyKey: "model-form-1" };
    const sent = await runCli(
      ["gateway", "call", "chat.send", "--url", `ws://127.0.0.1:${port}`, "--params", JSON.stringify(params)],
      env,
    );
    expect(sent.code, sent.stderr).toBe(0);
    const [request] = await model.waitForRequests(1);
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.body.model).toBe("llama3.2");
  });
});

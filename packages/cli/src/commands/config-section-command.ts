import { CliError } from "../cli-error.js";
import { type Output, printJson } from "../output.js";

/** What each section is for and a working example, shown until the interactive wizard covers the section. */
const SECTION_GUIDES: Record<string, { about: string; example: Record<string, unknown>; set: string[] }> = {
  models: {
    about:
      "Model providers the agent can call. `api` is openai-completions (any OpenAI-compatible server: OpenAI, Ollama, vLLM, LM Studio, llama.cpp), openai-responses or anthropic-messages. API keys may also come from OPENAI_API_KEY / ANTHROPIC_API_KEY.",
    example: {
      models: {
        providers: {
          ollama: {
            baseUrl: "http://127.0.0.1:11434/v1",
            api: "openai-completions",
            models: [{ id: "llama3.2", contextWindow: 128000 }],
          },
        },
      },
      agents: { defaults: { model: { primary: "ollama/llama3.2" } } },
    },
    set: [
      `openclaw config set models.providers.ollama '{ baseUrl: "http://127.0.0.1:11434/v1", api: "openai-completions", models: [{ id: "llama3.2" }] }'`,
      "openclaw config set agents.defaults.model.primary ollama/llama3.2",
    ],
  },
  gateway: {
    about: "Where the gateway listens and how clients authenticate.",
    example: { gateway: { port: 18789, bind: "loopback", auth: { mode: "token" } } },
    set: ["openclaw config set gateway.port 18789", "openclaw config set gateway.auth.mode token"],
  },
  agents: {
    about: "The agents: the default model and system prompt, and extra agents with their own.",
    example: {
      agents: {
        defaults: { model: { primary: "openai/gpt-4o-mini", fallbacks: ["ollama/llama3.2"] } },
        list: [
          {
            id: "research",
            model: "anthropic/claude-sonnet-4-5",
            systemPrompt: "You are a careful researcher.",
          },
        ],
      },
    },
    set: ["openclaw config set agents.defaults.model.primary openai/gpt-4o-mini"],
  },
};

/**
 * `openclaw config --section <name>`: shows the section as configured now (secrets redacted), what it is for, an
 * example and the commands that set it.
 */
export async function runConfigSections(sections: string[], output: Output): Promise<number> {
  const gateway = await import("@openclaw/gateway");
  const paths = gateway.resolveConfigPaths();
  const loaded = await gateway.loadConfig(paths.configPath).catch((error: Error) => {
    throw new CliError(error.message);
  });
  const redacted = gateway.redactConfig(loaded.config);
  for (const section of sections) {
    const guide = SECTION_GUIDES[section];
    if (!guide) {
      throw new CliError(
        `no guide for section "${section}" yet: known sections are ${Object.keys(SECTION_GUIDES).join(", ")}; use \`openclaw config get ${section}\` to read it`,
        2,
      );
    }
    output.out(`# ${section} (${paths.configPath})`);
    output.out(guide.about);
    output.out("\nNow:");
    printJson(output, gateway.getConfigValue(redacted, section) ?? null);
    output.out("\nExample:");
    printJson(output, guide.example);
    output.out("\nSet it with:");
    for (const command of guide.set) output.out(`  ${command}`);
    output.out("");
  }
  return 0;
}

/*
 * What the channel media end-to-end tests share: a vision model with transcription on the fake model server, and a
 * real gateway started on that config with an operator client that waits for the channel under test to connect.
 * The channel's own config stays in each test file.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GatewayClient } from "@openclaw/client";
import type { FakeModelServer } from "@openclaw/testing";
import { pollUntil } from "./e2e-wait-support.js";
import { type StartGatewayServerOptions, startGatewayServer } from "./index.js";

/** The config sections for model `fake/m` (text and images) and `whisper-1` transcription of audio. */
export function mediaModelConfig({
  model,
  stateDir,
}: {
  model: FakeModelServer;
  stateDir: string;
}): Record<string, unknown> {
  return {
    models: {
      providers: {
        fake: {
          baseUrl: model.baseUrlFor("openai-completions"),
          api: "openai-completions",
          apiKey: "fake-key",
          models: [{ id: "m", input: ["text", "image"] }],
        },
      },
    },
    agents: { defaults: { model: { primary: "fake/m" }, workspace: join(stateDir, "workspace") } },
    tools: { media: { audio: { enabled: true, models: [{ provider: "fake", model: "whisper-1" }] } } },
    session: { dmScope: "per-channel-peer" },
  };
}

export interface MediaGateway {
  /** An operator connected with the gateway token. */
  readonly client: GatewayClient;
  /** Closes the client, then the gateway. */
  close(): Promise<void>;
}

export interface StartMediaGatewayOptions
  extends Pick<StartGatewayServerOptions, "channelBackoff" | "plugins"> {
  stateDir: string;
  token: string;
  /** The whole `openclaw.json`, written into `stateDir` before the gateway starts. */
  config: Record<string, unknown>;
  /** The channel whose first account must report connected before the test goes on. */
  channel: string;
}

/** Writes the config, starts the gateway on a free port and waits until `channel` is connected. */
export async function startMediaGateway(options: StartMediaGatewayOptions): Promise<MediaGateway> {
  const { stateDir, token, config, channel, channelBackoff, plugins } = options;
  await writeFile(join(stateDir, "openclaw.json"), JSON.stringify(config));
  const gateway = await startGatewayServer(0, {
    stateDir,
    env: {},
    auth: { mode: "token", token },
    channelBackoff,
    plugins,
  });
  const client = new GatewayClient({ url: gateway.url, token });
  const close = async () => {
    await client.close();
    await gateway.close();
  };
  try {
    await client.connect();
    await waitForChannelConnected(client, channel);
  } catch (error) {
    // The test never gets a handle to close, so nothing may be left running.
    await close();
    throw error;
  }
  return { client, close };
}

/** Polls `channels.status` until the channel's first account is connected. */
export async function waitForChannelConnected(operator: GatewayClient, channel: string): Promise<void> {
  await pollUntil(
    `${channel} connecting`,
    async () => (await operator.request("channels.status", {})).channelAccounts[channel]?.[0],
    (account) => account?.connected === true,
  );
}

/** Everything the model was sent, as one string, to look for text that must (not) have reached it. */
export function modelSaw(model: FakeModelServer): string {
  return JSON.stringify(model.requests.map((request) => request.body.messages));
}

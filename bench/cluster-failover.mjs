// The failover phase of bench/cluster.mjs: one Telegram bot account on three instances sharing a PostgreSQL schema,
// kill -9 of its owner, time until a survivor owns it (channels.status) and until a message sent right after the
// kill is answered; the killed instance is restarted and this repeats.
import { progress } from "./bench-support.mjs";
import { dropSchema, gatewayConfig, newSchema, startInstances } from "./cluster-gateways.mjs";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The owner every running instance names for the Telegram account (polled every 50 ms), or undefined. */
async function agreedOwner(instances) {
  const running = instances.filter((instance) => instance.running());
  const owners = await Promise.all(
    running.map(async (instance) => {
      try {
        const status = await instance.client.request("channels.status", {});
        return status.channelAccounts.telegram?.[0]?.owner?.instanceId;
      } catch {
        return undefined;
      }
    }),
  );
  const [first] = owners;
  return first !== undefined && owners.every((owner) => owner === first)
    ? running.find((instance) => instance.instanceId === first)
    : undefined;
}

async function waitFor(what, probe, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/**
 * Kills -9 the instance owning the Telegram account, `kills` times among three instances, restarting it after each:
 * how long until a survivor owns the account, and until a message sent right after the kill is answered (ms).
 * Closes `telegram` when done.
 */
export async function measureFailover({ model, telegram, lastUserText, via, kills, token }) {
  const schema = newSchema();
  const userId = (kill) => 4001 + kill;
  const allowFrom = Array.from({ length: kills }, (_, kill) => String(userId(kill)));
  model.setDefaultReply((request) => ({ text: lastUserText(request).replace("ping", "pong") }));
  const instances = await startInstances({
    via,
    size: 3,
    token,
    config: gatewayConfig({ model, schema, telegram: { server: telegram, allowFrom } }),
  });
  const owned = [];
  const answered = [];
  try {
    for (let kill = 0; kill < kills; kill += 1) {
      const owner = await waitFor("an owner of the Telegram account", () => agreedOwner(instances));
      await owner.kill();
      const killedAt = performance.now();
      const text = `ping ${kill}`;
      telegram.sendMessage({
        chat: { id: userId(kill), type: "private" },
        from: { id: userId(kill), first_name: "U" },
        text,
      });
      const answer = telegram
        .waitForSent((sent) => sent.method === "sendMessage" && sent.chatId === String(userId(kill)), {
          timeoutMs: 60_000,
        })
        .then(() => performance.now() - killedAt);
      const survivor = await waitFor("a survivor owning the account", async () => {
        const next = await agreedOwner(instances);
        return next && next !== owner ? next : undefined;
      });
      owned.push(performance.now() - killedAt);
      answered.push(await answer);
      progress(
        `kill ${kill + 1}/${kills}: ${owner.name} -> ${survivor.name} in ${Math.round(owned.at(-1))} ms, answer after ${Math.round(answered.at(-1))} ms`,
      );
      await owner.restart();
    }
    return { owned, answered };
  } finally {
    await Promise.all(instances.map((instance) => instance.remove()));
    dropSchema(schema);
    await telegram.close();
  }
}

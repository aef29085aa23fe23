import type { AgentTool } from "@openclaw/agent";
import {
  type ChannelPlugin,
  type GatewayMethod,
  validateChannelPlugin,
  validateGatewayMethod,
} from "@openclaw/plugin-sdk";
import type { StorageDriver } from "@openclaw/sessions";
import { ChannelError, describeError } from "./channel-error.js";
import { pickPluginExport } from "./plugin-exports.js";

export interface ChannelMeta {
  label: string;
  description?: string;
  docsUrl?: string;
}

/**
 * A channel whose code is imported only when it is first needed, so a gateway that does not configure it never
 * pays for its platform library. `load` may resolve to the plugin or to its module (default / `plugin` /
 * `channelPlugin` export).
 */
export interface LazyChannelEntry {
  id: string;
  meta: ChannelMeta;
  load: () => Promise<unknown>;
}

interface ChannelSlot {
  id: string;
  meta: ChannelMeta;
  load: () => Promise<unknown>;
  loaded?: Promise<ChannelPlugin>;
  plugin?: ChannelPlugin;
}

/**
 * What the gateway runs beyond its core: channels, agent tools and extra gateway methods, registered by
 * `apps/gateway` for the first-party plugins and by {@link loadConfiguredPlugins} for third-party ones.
 */
export class PluginRegistry {
  readonly #channels = new Map<string, ChannelSlot>();
  readonly #tools = new Map<string, AgentTool>();
  readonly #toolLoaders: (() => Promise<readonly AgentTool[]>)[] = [];
  #loadingTools: Promise<AgentTool[]> = Promise.resolve([]);
  readonly #methods = new Map<string, GatewayMethod>();
  readonly #storageDrivers = new Map<string, StorageDriver>();

  registerChannel(entry: LazyChannelEntry | ChannelPlugin): void {
    if (this.#channels.has(entry.id)) {
      throw new ChannelError(
        "CHANNEL_DUPLICATE",
        `channel "${entry.id}" is registered twice: remove one of the plugins that provide it`,
        { channel: entry.id },
      );
    }
    if ("load" in entry && typeof entry.load === "function") {
      this.#channels.set(entry.id, { id: entry.id, meta: { ...entry.meta }, load: entry.load });
      return;
    }
    const plugin = validateChannelPlugin(entry);
    this.#channels.set(plugin.id, {
      id: plugin.id,
      meta: { ...plugin.meta },
      load: async () => plugin,
      loaded: Promise.resolve(plugin),
    });
  }

  registerTool(tool: AgentTool): void {
    if (this.#tools.has(tool.name)) {
      throw new ChannelError(
        "TOOL_DUPLICATE",
        `agent tool "${tool.name}" is registered twice: remove one of the plugins that provide it`,
      );
    }
    this.#tools.set(tool.name, tool);
  }

  /**
   * Adds a gateway method (`defineGatewayMethod` of `@openclaw/plugin-sdk`): the gateway serves it from its start,
   * scope-checked and listed in `hello-ok.features.methods`. Throws PluginError for a method that breaks the
   * contract (a core name or namespace, no zod params, another API version) and METHOD_DUPLICATE for a taken name.
   */
  registerMethod(method: GatewayMethod): void {
    const checked = validateGatewayMethod(method);
    if (this.#methods.has(checked.name)) {
      throw new ChannelError(
        "METHOD_DUPLICATE",
        `gateway method "${checked.name}" is registered twice: remove one of the plugins that provide it`,
      );
    }
    this.#methods.set(checked.name, checked);
  }

  /**
   * Adds a storage engine (`StorageDriver` of `@openclaw/sessions`) the config can name in `storage.driver`.
   * `@openclaw/gateway` registers `sqlite` and `postgres`; a third party's store registers the same way.
   */
  registerStorageDriver(driver: StorageDriver): void {
    const valid =
      typeof driver === "object" &&
      driver !== null &&
      typeof driver.id === "string" &&
      /^[a-z][a-z0-9_-]*$/.test(driver.id) &&
      typeof driver.open === "function";
    if (!valid) {
      throw new ChannelError(
        "STORAGE_DRIVER_INVALID",
        'a storage driver needs an id (lower-case, e.g. "sqlite") and open(options, context): implement StorageDriver from @openclaw/sessions',
      );
    }
    if (this.#storageDrivers.has(driver.id)) {
      throw new ChannelError(
        "STORAGE_DRIVER_DUPLICATE",
        `storage driver "${driver.id}" is registered twice: remove one of the plugins that provide it`,
      );
    }
    this.#storageDrivers.set(driver.id, driver);
  }

  storageDriver(id: string): StorageDriver | undefined {
    return this.#storageDrivers.get(id);
  }

  /** In registration order. */
  storageDriverIds(): string[] {
    return [...this.#storageDrivers.keys()];
  }

  hasChannel(id: string): boolean {
    return this.#channels.has(id);
  }

  /** In registration order: first-party channels first, then configured plugins. */
  channelIds(): string[] {
    return [...this.#channels.keys()];
  }

  channelMeta(id: string): ChannelMeta {
    return { ...this.#slot(id).meta };
  }

  /**
   * The channel's plugin, imported and validated on the first call and cached. A failed import is not cached, so a
   * later start retries (for example after `npm i` of a missing dependency).
   */
  getChannel(id: string): Promise<ChannelPlugin> {
    let slot: ChannelSlot;
    try {
      slot = this.#slot(id);
    } catch (error) {
      return Promise.reject(error);
    }
    if (!slot.loaded) {
      slot.loaded = loadChannel(slot).then((plugin) => {
        slot.plugin = plugin;
        return plugin;
      });
      slot.loaded.catch(() => {
        slot.loaded = undefined;
      });
    }
    return slot.loaded;
  }

  /** The channel's plugin when it has been loaded (its accounts started), without loading it. */
  loadedChannel(id: string): ChannelPlugin | undefined {
    return this.#channels.get(id)?.plugin;
  }

  /**
   * Adds tools whose code loads on first use: `load` runs once, when the agent's tools are first needed (the first
   * run, `tools.catalog`, `POST /tools/invoke`), so a plugin with a heavy tool costs nothing at start or idle.
   */
  registerToolLoader(load: () => Promise<readonly AgentTool[]>): void {
    this.#toolLoaders.push(load);
  }

  /** Runs the tool loaders not run yet and registers their tools; resolves to every tool loaded so far. */
  loadTools(): Promise<AgentTool[]> {
    const pending = this.#toolLoaders.splice(0);
    if (pending.length === 0) return this.#loadingTools;
    this.#loadingTools = this.#loadingTools.then(async (earlier) => {
      const added: AgentTool[] = [];
      for (const load of pending) {
        for (const tool of await load()) {
          this.registerTool(tool);
          added.push(tool);
        }
      }
      return [...earlier, ...added];
    });
    return this.#loadingTools;
  }

  tools(): AgentTool[] {
    return [...this.#tools.values()];
  }

  /** In registration order. */
  methods(): GatewayMethod[] {
    return [...this.#methods.values()];
  }

  #slot(id: string): ChannelSlot {
    const slot = this.#channels.get(id);
    if (!slot) {
      const known = this.channelIds();
      throw new ChannelError(
        "CHANNEL_UNKNOWN",
        `unknown channel "${id}": known channels are ${known.length > 0 ? known.join(", ") : "(none)"}; install its plugin under plugins.entries or plugins.load.paths`,
        { channel: id },
      );
    }
    return slot;
  }
}

async function loadChannel(slot: ChannelSlot): Promise<ChannelPlugin> {
  let loaded: unknown;
  try {
    loaded = await slot.load();
  } catch (error) {
    // A loader that already names the fix (e.g. CHANNEL_PACKAGE_MISSING: which package to install) is passed on.
    if (error instanceof ChannelError) throw error;
    throw new ChannelError(
      "CHANNEL_LOAD_FAILED",
      `channel "${slot.id}" failed to load: ${describeError(error)} — reinstall its package or remove channels.${slot.id}`,
      { channel: slot.id, cause: error },
    );
  }
  const candidate = pickPluginExport(loaded, slot.id);
  const plugin = validateChannelPlugin(candidate);
  if (plugin.id !== slot.id) {
    throw new ChannelError(
      "CHANNEL_LOAD_FAILED",
      `channel "${slot.id}" loaded a plugin whose id is "${plugin.id}": register it under its own id`,
      { channel: slot.id },
    );
  }
  return plugin;
}

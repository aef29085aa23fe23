import type { AgentTool, ToolRegistry } from "./types.js";

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function createToolRegistry(): ToolRegistry {
  const tools = new Map<string, AgentTool>();
  return {
    register(tool) {
      // Providers reject other names outright, so fail at registration rather than on the first run.
      if (!TOOL_NAME.test(tool.name)) {
        throw new TypeError(`tool name "${tool.name}" is invalid: use 1-64 letters, digits, "_" or "-"`);
      }
      if (tools.has(tool.name)) {
        throw new TypeError(
          `tool "${tool.name}" is already registered: unregister it first or pick another name`,
        );
      }
      tools.set(tool.name, tool);
      return () => {
        if (tools.get(tool.name) === tool) tools.delete(tool.name);
      };
    },
    list: () => [...tools.values()],
    get: (name) => tools.get(name),
  };
}

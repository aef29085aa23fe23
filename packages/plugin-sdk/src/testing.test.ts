import { createMemoryPlugin, type MemoryPlatform, memoryHarness } from "./memory-channel.test-support.js";
import { runChannelConformance } from "./testing.js";

// The kit run as an adapter would run it: every check registered here must pass for a conforming plugin.
const platforms = new Map<string, MemoryPlatform>();
runChannelConformance(createMemoryPlugin(platforms), memoryHarness(platforms));

export { type FuzzRunOptions, type FuzzRunReport, runFrameFuzz } from "./frame-fuzzer.js";
export { type FuzzFrame, type FuzzFrameKind, generateFuzzFrames, seededRandom } from "./fuzz-frames.js";
export { readRssBytes } from "./process-memory.js";
export {
  clientFrame,
  clientFrameHeader,
  openRawUpgrade,
  type RawUpgrade,
  type RawUpgradeOptions,
  waitForSocketEnd,
} from "./raw-websocket.js";

export { createInboundMediaPreparer, type InboundMediaPreparerOptions } from "./inbound-media-preparer.js";
export { DEFAULT_MEDIA_MAX_MB, describeSize, resolveMediaMaxBytes } from "./media-size.js";
export {
  type MediaHint,
  type MediaUnderstandingDeps,
  type UnderstoodMedia,
  understandMedia,
} from "./understand-media.js";

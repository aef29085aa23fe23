/**
 * The hello-ok `features.capabilities` this gateway announces. OpenClaw's clients check these names before they use
 * a behaviour (its CLI's `models list` refuses a gateway without "published-model-catalog"), so a name goes here only
 * once the behaviour it stands for is served with OpenClaw's shapes — announcing one we do not honour would make a
 * client call something that then fails.
 */
export const GATEWAY_CAPABILITIES: readonly string[] = [
  // models.list takes OpenClaw's params (view, provider, includeDetails) and answers its rows (input, contextWindow).
  "published-model-catalog",
];

import type { Api } from "grammy";

type GrammySignal = NonNullable<Parameters<Api["getMe"]>[0]>;

/**
 * grammY's Node typings name the `abort-controller` polyfill's AbortSignal, while at run time it accepts any
 * signal with addEventListener (it checks by shape). Node's own AbortSignal is that, so only the type differs.
 */
export function toGrammySignal(signal: AbortSignal): GrammySignal {
  return signal as unknown as GrammySignal;
}

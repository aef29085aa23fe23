/**
 * How long the fakes' `waitFor…` helpers wait by default. A passing wait returns as soon as its condition holds, so
 * this only bounds a failure. It is generous on purpose: CI runs suites side by side on two cores, where a load
 * average of 11 stretched a 5 s budget past its limit (issue 17); `scripts/test-under-load.mjs` proves the suites
 * pass with every core busy.
 */
export const DEFAULT_WAIT_TIMEOUT_MS = 30_000;

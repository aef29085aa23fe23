/**
 * How long the fakes' `waitFor…` helpers wait by default. A passing wait returns as soon as its condition holds, so
 * this only bounds a failure; CI runs every package's suite at once on two cores, where 5 s proved too tight.
 */
export const DEFAULT_WAIT_TIMEOUT_MS = 15_000;

import { z } from "zod";

/** An integer in [min, max], with one message that names the range. */
export function intBetween(min: number, max: number) {
  const error = `expected an integer between ${min} and ${max}`;
  return z.int({ error }).min(min, { error }).max(max, { error });
}

export function positiveInt() {
  const error = "expected a positive integer";
  return z.int({ error }).min(1, { error });
}

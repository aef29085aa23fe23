/** Deterministic pseudo-random numbers (mulberry32), so a failing fuzz run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type FuzzFrameKind =
  | "random-bytes"
  | "invalid-json"
  | "not-an-object"
  | "deep-nesting"
  | "wrong-types"
  | "huge-array"
  | "long-string"
  | "binary";

export interface FuzzFrame {
  kind: FuzzFrameKind;
  /** The frame's payload; `binary` frames go out with the binary opcode. */
  data: string | Buffer;
  binary: boolean;
  method?: string;
}

/** Values of every JSON type, including the awkward ones, to put where a field expects something else. */
function wrongValue(random: () => number): unknown {
  const choices: (() => unknown)[] = [
    () => null,
    () => true,
    () => -1,
    () => 1e308,
    () => Math.floor(random() * 1e9),
    () => "",
    () => "x".repeat(Math.floor(random() * 2_000)),
    () => "\u0000\ud800",
    () => [],
    () => Array.from({ length: 50 }, (_, i) => i),
    () => ({}),
    () => ({ __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } }),
    () => ({ nested: { deeper: [1, "two", { three: 3 }] } }),
  ];
  return (choices[Math.floor(random() * choices.length)] as () => unknown)();
}

function nested(depth: number, asArray: boolean): string {
  return asArray
    ? `${"[".repeat(depth)}${"]".repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

/**
 * Builds `count` malformed or hostile request frames for the given methods (method name -> its param field names):
 * random bytes, broken JSON, non-objects, deep nesting, every field of every method with a wrong type, arrays and
 * strings far past any sane size (but under `maxFrameBytes`), and binary frames.
 */
export function generateFuzzFrames(options: {
  count: number;
  seed: number;
  methods: Record<string, readonly string[]>;
  maxFrameBytes?: number;
}): FuzzFrame[] {
  const random = seededRandom(options.seed);
  const maxBytes = options.maxFrameBytes ?? 60 * 1024;
  const methodNames = Object.keys(options.methods);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const frames: FuzzFrame[] = [];
  let counter = 0;
  const nextId = () => {
    counter += 1;
    return `fz${counter}`;
  };
  const request = (method: string, params: unknown) =>
    JSON.stringify({ type: "req", id: nextId(), method, params });
  const kinds: FuzzFrameKind[] = [
    "random-bytes",
    "invalid-json",
    "not-an-object",
    "deep-nesting",
    "wrong-types",
    "wrong-types",
    "wrong-types",
    "huge-array",
    "long-string",
    "binary",
  ];
  for (let index = 0; index < options.count; index += 1) {
    const kind = pick(kinds);
    const method = methodNames.length > 0 ? pick(methodNames) : "health";
    const fields = options.methods[method] ?? [];
    switch (kind) {
      case "random-bytes": {
        const bytes = Buffer.alloc(1 + Math.floor(random() * 512));
        for (let i = 0; i < bytes.length; i += 1) bytes[i] = Math.floor(random() * 256);
        // Valid UTF-8 only: invalid UTF-8 in a text frame is a protocol error that ws answers by closing.
        frames.push({ kind, data: bytes.toString("utf8"), binary: false });
        break;
      }
      case "invalid-json":
        frames.push({
          kind,
          data: pick(['{"type":"req","id":"x","method":', "{'a':1}", "[1,2,", '{"a":1}}', "NaN", '"\\u12"']),
          binary: false,
        });
        break;
      case "not-an-object":
        frames.push({
          kind,
          data: pick(["1", "null", '"req"', "[]", "true", '[{"type":"req"}]']),
          binary: false,
        });
        break;
      case "deep-nesting": {
        const depth = Math.min(Math.floor(maxBytes / 8), 1_000 + Math.floor(random() * 6_000));
        const body = random() < 0.5 ? nested(depth, true) : nested(depth, false);
        frames.push({
          kind,
          data: `{"type":"req","id":"${nextId()}","method":"${method}","params":${body}}`,
          binary: false,
          method,
        });
        break;
      }
      case "wrong-types": {
        const params: Record<string, unknown> = {};
        for (const field of fields) if (random() < 0.7) params[field] = wrongValue(random);
        if (random() < 0.2) params[`unknown${Math.floor(random() * 100)}`] = wrongValue(random);
        frames.push({
          kind,
          data: request(method, random() < 0.1 ? wrongValue(random) : params),
          binary: false,
          method,
        });
        break;
      }
      case "huge-array": {
        const field = fields.length > 0 ? pick(fields) : "items";
        const length = Math.floor((maxBytes - 200) / 2);
        frames.push({
          kind,
          data: `{"type":"req","id":"${nextId()}","method":"${method}","params":{"${field}":[${"0,".repeat(length - 1)}0]}}`,
          binary: false,
          method,
        });
        break;
      }
      case "long-string": {
        const field = fields.length > 0 ? pick(fields) : "text";
        frames.push({
          kind,
          data: request(method, { [field]: "y".repeat(maxBytes - 300) }),
          binary: false,
          method,
        });
        break;
      }
      case "binary":
        frames.push({ kind, data: Buffer.from(request(method, {}), "utf8"), binary: true, method });
        break;
    }
  }
  return frames;
}

/**
 * Shared pieces of the property-based bad-input suites (`*.property.test.ts`):
 * byte-wise mutations of real values, values Python's JSON round-trips
 * exactly, and a work-growth check that catches superlinear decoders without
 * timing targets.
 *
 * Runs use a fresh random seed each time, so the suites keep exploring; a
 * failure prints the seed and the shrunk input (`fc.assert(..., { seed })`
 * replays it).
 */
import fc from "fast-check";
import { it } from "vitest";
import { PyFloat } from "../../lib/session/index.ts";

type Mutation = { readonly kind: "flip" | "set" | "insert" | "delete" | "duplicate" | "truncate"; readonly at: number; readonly byte: number; readonly span: number };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom("flip", "set", "insert", "delete", "duplicate", "truncate"),
  at: fc.nat(),
  byte: fc.integer({ min: 0, max: 255 }),
  span: fc.integer({ min: 1, max: 64 }),
});

function mutate(seed: Uint8Array, mutations: readonly Mutation[]): Buffer {
  let b = Buffer.from(seed);
  for (const m of mutations) {
    const at = m.at % (b.length + 1);
    const end = Math.min(b.length, at + m.span);
    switch (m.kind) {
      case "flip":
        if (at < b.length) b[at]! ^= 1 << m.byte % 8;
        break;
      case "set":
        if (at < b.length) b[at] = m.byte;
        break;
      case "insert":
        b = Buffer.concat([b.subarray(0, at), Buffer.alloc(m.span % 4 || 1, m.byte), b.subarray(at)]);
        break;
      case "delete":
        b = Buffer.concat([b.subarray(0, at), b.subarray(end)]);
        break;
      case "duplicate":
        b = Buffer.concat([b.subarray(0, end), b.subarray(at, end), b.subarray(end)]);
        break;
      case "truncate":
        b = b.subarray(0, at);
        break;
    }
  }
  return b;
}

/** A real value with one to eight byte-wise mutations. */
export function mutatedBytes(seeds: readonly Uint8Array[]): fc.Arbitrary<Buffer> {
  return fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 8 })).map(([seed, ms]) => mutate(seed, ms));
}

/** The same on text, byte-wise in latin-1 (every byte stays one character). */
export function mutatedText(seeds: readonly string[]): fc.Arbitrary<string> {
  return mutatedBytes(seeds.map((s) => Buffer.from(s, "latin1"))).map((b) => b.toString("latin1"));
}

/** Any string: arbitrary UTF-16 code units (lone surrogates included) or latin-1 bytes. */
export const anyText: fc.Arbitrary<string> = fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString("latin1")));

/** Keys as sessions have them, plus the awkward ones. */
export const sessionKey: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.constantFrom("_auth_user_id", "cart", "10", "2", "0", "__proto__", "constructor", "toString", "-1", "01"),
);

/**
 * Values Python's JSON reads back exactly as they were written: safe integers,
 * bigints beyond 2^53, non-integral finite floats, integral floats as PyFloat,
 * NaN and the infinities, any string, and lists and dicts of those (any keys,
 * integer-like and "__proto__" included).
 */
export const pythonJsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(null, true, false, NaN, Infinity, -Infinity),
    fc.maxSafeInteger().map((n) => (Object.is(n, -0) ? 0 : n)),
    fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }).filter((n) => n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x)),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }).filter((x) => Number.isInteger(x)).map((x) => new PyFloat(x)),
    fc.string({ unit: "binary" }),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(sessionKey, tie("value"), { maxKeys: 5, noNullPrototype: true }),
  ),
})).value;

/** A session dict: a Map in insertion order. */
export const sessionData: fc.Arbitrary<Map<string, unknown>> = fc
  .array(fc.tuple(sessionKey, pythonJsonValue), { maxLength: 6 })
  .map((entries) => new Map(entries));

export interface Pumped {
  readonly prefix: string;
  readonly unit: string;
  readonly suffix: string;
}

/** A prefix, a unit repeated to fill the size, and a suffix: how superlinear work is found (as ReDoS fuzzers do). */
export function pumped(piece: fc.Arbitrary<string>): fc.Arbitrary<Pumped> {
  return fc.record({ prefix: piece, unit: piece.filter((u) => u.length > 0), suffix: piece });
}

export function pump(p: Pumped, size: number): string {
  return p.prefix + p.unit.repeat(Math.max(1, Math.ceil((size - p.prefix.length - p.suffix.length) / p.unit.length))) + p.suffix;
}

const SMALL = 8 * 1024;
const GROWTH = 16;

function timeOnce(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

/**
 * The time `run` takes on an input 16x larger, compared with the small one
 * (best of three each): linear work grows about 16x, quadratic 256x. The
 * check allows 4x that (64x) plus 30 ms, so load on a shared machine cannot
 * fail it, while a quadratic step on 128 KB still does by far. A big run
 * within the bound ends the check at once.
 */
export function expectLinearWork<T>(build: (size: number) => T, run: (input: T) => unknown): void {
  const small = build(SMALL);
  const big = build(SMALL * GROWTH);
  const safely = (input: T) => () => {
    try {
      run(input);
    } catch {
      // Rejecting is fine; only the time counts here.
    }
  };
  safely(small)();
  const tSmall = Math.min(timeOnce(safely(small)), timeOnce(safely(small)), timeOnce(safely(small)));
  const bound = tSmall * GROWTH * 4 + 30;
  let tBig = timeOnce(safely(big));
  // A miss is retried (the process may have been descheduled), unless it is seconds over: superlinear whatever the load.
  for (let i = 0; i < 2 && tBig > bound && tBig < Math.max(bound * 4, 2000); i++) tBig = Math.min(tBig, timeOnce(safely(big)));
  if (tBig > bound) {
    throw new Error(`superlinear work: ${tSmall.toFixed(2)} ms at ${SMALL} bytes, ${tBig.toFixed(2)} ms at ${SMALL * GROWTH} bytes`);
  }
}

/** fast-check settings for work-growth properties: a counterexample is already small (a few pumped pieces), so report it without shrinking. */
export const LINEAR_RUNS = (numRuns: number) => ({ numRuns, endOnFailure: true });

/**
 * The two properties every decoder of outside input must hold, registered as
 * tests: random strings, and real values (`samples`) mutated byte by byte,
 * each go through `check` (which asserts the documented outcome).
 */
export function itHandlesGarbage(check: (text: string) => void, samples: readonly string[], { runs = 300, samplesName = "real values" } = {}): void {
  it("random strings", () => {
    fc.assert(fc.property(anyText, check), { numRuns: runs });
  });
  it(`${samplesName} with byte-wise mutations`, () => {
    fc.assert(fc.property(mutatedText(samples), check), { numRuns: runs });
  });
}

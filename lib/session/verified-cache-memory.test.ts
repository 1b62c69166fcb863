// The codec's verified-value cache holds a bounded amount of text: big
// sessions (or forged ones, with a leaked key and write access to the store)
// cannot pin gigabytes in memory between requests.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { SESSION_SALT, createSessionCodec } from "./codec.ts";
import { createTimestampSigner } from "./signing.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const MiB = 1024 * 1024;
const SECRET = "verified-cache-memory";
const NOW = new Date(1_700_000_000_000);
const signer = createTimestampSigner({ secretKey: SECRET, salt: SESSION_SALT });
/** The db-format value of a JSON text, compressed, as the codec writes it. */
const signed = (json: string) => signer.sign("." + deflateSync(json).toString("base64url"), NOW);

/** Heap plus external memory (Node keeps long latin-1 strings outside the heap) that `run` leaves reachable. */
function retainedMiB(run: () => void): number {
  const used = () => {
    // Twice: external strings are released by the collection after the one that finds them dead.
    gc();
    gc();
    const { heapUsed, external } = process.memoryUsage();
    return heapUsed + external;
  };
  const before = used();
  run();
  return (used() - before) / MiB;
}

describe("verified-value cache", () => {
  it("keeps at most 16 MiB of session text, however many big sessions it sees", () => {
    const codec = createSessionCodec({ secretKey: SECRET });
    // 24 distinct sessions of 960 KiB of JSON each, compressed to about 1 KB: 22.5 MiB if all were kept.
    const encoded = Array.from({ length: 24 }, (_, i) => signed(`{"blob":"${`${i}:`.padEnd(960 * 1024 - 11, "x")}"}`));
    const retained = retainedMiB(() => {
      for (const e of encoded) expect(codec.decode(e).ok).toBe(true);
    });
    expect(retained).toBeLessThan(19);
    // Small sessions are still remembered: a second decode gives the same data.
    const small = codec.encode(new Map([["cart", [1, 2]]]), NOW);
    expect(codec.decode(small)).toEqual(codec.decode(small));
  }, 30_000);
});

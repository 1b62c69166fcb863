// A compressed payload inflates to at most MAX_INFLATED_PAYLOAD_BYTES: a zip bomb
// signed with a leaked key is an invalid session, not an out-of-memory crash.
import { constants, deflateRawSync, deflateSync, inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createCookieCodec, createSessionCodec } from "./codec.ts";
import { MalformedPayload } from "./errors.ts";
import { createTimestampSigner, loads, MAX_INFLATED_PAYLOAD_BYTES } from "./signing.ts";

const SECRET = "inflate-limit-test-secret";
const NOW = new Date(1_700_000_000_000);
const MiB = 1024 * 1024;

/**
 * A zlib stream that inflates to `mib` MiB of zeros, built without ever holding
 * them: one independently compressed MiB (a byte-aligned, non-final block run)
 * repeated, a final empty block, and the Adler-32 of that many zeros.
 */
function zerosBomb(mib: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(MiB), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const total = mib * MiB;
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE((((total % 65521) << 16) | 1) >>> 0);
  // 0x78 0xda: zlib header (deflate, 32K window, level 9); 0x03 0x00: a final, empty fixed-Huffman block.
  return Buffer.concat([Buffer.from([0x78, 0xda]), ...Array<Buffer>(mib).fill(block), Buffer.from([0x03, 0x00]), adler]);
}

/** What Django's `signing.dumps(..., compress=True)` makes of a compressed payload. */
function signCompressed(zlibBytes: Buffer, salt: string): string {
  return createTimestampSigner({ secretKey: SECRET, salt }).sign("." + zlibBytes.toString("base64url"), NOW);
}

describe("inflating a signed value stops at MAX_INFLATED_PAYLOAD_BYTES", () => {
  it("the bomb builder makes a real zlib stream of zeros", () => {
    const out = inflateSync(zerosBomb(3));
    expect(out.length).toBe(3 * MiB);
    expect(out.every((b) => b === 0)).toBe(true);
  });

  it("is a documented, generous limit", () => {
    expect(MAX_INFLATED_PAYLOAD_BYTES).toBe(8 * MiB);
  });

  it("a session value of exactly the limit still decodes", () => {
    const text = `{"k":"${"a".repeat(MAX_INFLATED_PAYLOAD_BYTES - 8)}"}`;
    expect(text.length).toBe(MAX_INFLATED_PAYLOAD_BYTES);
    const signed = signCompressed(deflateSync(text), "django.contrib.sessions.SessionStore");
    const result = createSessionCodec({ secretKey: SECRET }).decode(signed);
    expect(result.ok && (result.data.get("k") as string).length).toBe(MAX_INFLATED_PAYLOAD_BYTES - 8);
  });

  it("a signed 1 GB-of-zeros bomb is an invalid session, quickly and without a memory spike", () => {
    const bomb = zerosBomb(1024);
    expect(bomb.length).toBeLessThan(2 * MiB);
    const signed = signCompressed(bomb, "django.contrib.sessions.SessionStore");
    const rssBefore = process.resourceUsage().maxRSS;
    const started = performance.now();
    const result = createSessionCodec({ secretKey: SECRET }).decode(signed);
    const elapsed = performance.now() - started;
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/inflates to more than 8388608 bytes/) });
    // maxRSS is the process's peak, in KiB: inflating the whole GiB would raise it by about 1 GiB.
    expect((process.resourceUsage().maxRSS - rssBefore) / 1024).toBeLessThan(200);
    // Generous for a loaded machine: stopping at 8 MiB takes milliseconds; inflating 1 GiB takes seconds.
    expect(elapsed).toBeLessThan(5000);
  });

  it("the same bomb as a signed cookie, and through signing.loads", () => {
    const cookie = signCompressed(zerosBomb(64), "django.contrib.sessions.backends.signed_cookies");
    expect(createCookieCodec({ secretKey: SECRET, maxAge: 3600 }).decode(cookie, NOW)).toEqual({ ok: false, reason: expect.stringMatching(/inflates to more than/) });
    const plain = signCompressed(zerosBomb(64), "django.core.signing");
    expect(() => loads(plain, { secretKey: SECRET })).toThrow(MalformedPayload);
  });
});

/**
 * Micro-benchmark of the session codec on a realistic ~1 KB session.
 * Run: npx tsx bench/codec.bench.ts
 */
import { createSessionCodec, dumpsPython, loadsPython } from "../lib/session/index.ts";

const data = new Map<string, unknown>([
  ["_auth_user_id", "1042"],
  ["_auth_user_backend", "django.contrib.auth.backends.ModelBackend"],
  ["_auth_user_hash", "6fbb51017db30df635a130a3de685540bb1956c36fbb51017db30df635a130a3"],
  ["_session_created", 1_700_000_000],
  ["cart", {
    items: Array.from({ length: 6 }, (_, i) => ({ sku: `SKU-${1000 + i}`, name: `Product number ${i} – édition`, qty: 1 + (i % 3), price: 9.99 + i })),
    coupon: "WELCOME10",
    currency: "EUR",
  }],
  ["recently_viewed", [101, 205, 333, 478, 512, 640, 777, 812]],
  ["preferences", { theme: "dark", language: "fr", newsletter: true, timezone: "Europe/Paris" }],
  ["messages", [{ level: 25, text: "Votre panier a été mis à jour." }]],
  ["csrf_hint", "q6msx8ab8dcoae3xb4zz157a2v5lguvu"],
]);

const now = new Date(1_700_000_000_000);
const codec = createSessionCodec({ secretKey: "django-insecure-bench-key-0123456789abcdefghijklmnopqrstuvwxyz" });
const plain = createSessionCodec({ secretKey: "django-insecure-bench-key-0123456789abcdefghijklmnopqrstuvwxyz", compress: false });
const serialized = dumpsPython(data);
const encoded = codec.encode(data, now);
const encodedPlain = plain.encode(data, now);

function bench(name: string, run: () => unknown, ms = 1500): void {
  for (let i = 0; i < 2000; i++) run();
  let n = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(ms) * 1_000_000n;
  let t = start;
  while (t < end) {
    for (let i = 0; i < 200; i++) run();
    n += 200;
    t = process.hrtime.bigint();
  }
  const seconds = Number(t - start) / 1e9;
  console.log(`${name.padEnd(36)} ${Math.round(n / seconds).toLocaleString("en-US").padStart(10)} ops/s  ${((seconds / n) * 1e6).toFixed(2).padStart(7)} µs/op`);
}

console.log(`session: ${serialized.length} bytes of JSON, ${encoded.length} chars encoded (compressed), ${encodedPlain.length} uncompressed\n`);
bench("dumpsPython", () => dumpsPython(data));
bench("loadsPython", () => loadsPython(serialized));
bench("encode (compressed, Django default)", () => codec.encode(data, now));
bench("decode (compressed)", () => codec.decode(encoded));
bench("encode (compress: false)", () => plain.encode(data, now));
bench("decode (uncompressed)", () => plain.decode(encodedPlain));
bench("decode + encode (compressed)", () => {
  const r = codec.decode(encoded);
  if (r.ok) codec.encode(r.data, now);
});

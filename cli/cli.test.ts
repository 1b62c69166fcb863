import { describe, expect, it } from "vitest";
import { dumpsPython, loadsPython } from "../lib/session/index.ts";
import { runDecode } from "./decode.ts";
import { runEncode } from "./encode.ts";
import { runCli } from "./index.ts";
import type { CliIo } from "./io.ts";
import { loadMeta, loadVectors, str, type DjangoVector } from "../test/fixtures/django-vectors.ts";

const { secret_key: SECRET, other_secret_key: OTHER } = loadMeta();
const env = { SESSION_SECRET_KEY: SECRET };

function capture(now = new Date(1_700_000_000_000)) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (l) => out.push(l), stderr: (l) => err.push(l), now: () => now };
  return { io, out, err };
}

const decodable = [
  ...loadVectors("db.json").filter((v) => typeof v.encoded === "string" && v.decoded !== null),
  ...loadVectors("signed_cookies.json").filter((v) => !v.signing_loads_error),
];

describe("decode", () => {
  it.each(decodable.map((v) => [`${v.salt === "django.contrib.sessions.SessionStore" ? "db" : "cookie"} ${v.name}`, v]))("%s prints the data and exits 0", (_n, v) => {
    const { io, out, err } = capture();
    expect(runDecode([str(v, "encoded")], env, io)).toBe(0);
    expect(err).toEqual([]);
    expect(out).toHaveLength(1);
    expect(dumpsPython(loadsPython(out[0]!))).toBe(dumpsPython(v.decoded));
  });

  it("prints big ints and NaN as Python writes them", () => {
    const v = loadVectors("db.json").find((x) => x.name === "nan_infinity")!;
    const { io, out } = capture();
    runDecode([str(v, "encoded")], env, io);
    expect(out).toEqual(['{"nan":NaN,"inf":Infinity,"ninf":-Infinity}']);
  });

  const tampered = loadVectors("tampered.json");
  it.each(tampered.map((v) => [v.name, v]))("%s exits 1 with one line on stderr (salt given)", (_n, v) => {
    const { io, out, err } = capture();
    expect(runDecode(["--salt", str(v, "salt"), "--", str(v, "encoded")], env, io)).toBe(1);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^decode: \S/);
  });

  // Without --salt both session salts are tried, so a value with the "wrong" salt is simply the other kind.
  it.each(tampered.filter((v) => !v.name.startsWith("wrong_salt")).map((v) => [v.name, v]))("%s exits 1 with no salt given", (_n, v) => {
    const { io, err } = capture();
    expect(runDecode(["--", str(v, "encoded")], env, io)).toBe(1);
    expect(err).toHaveLength(1);
  });

  it("decodes the pre-3.1 format and reports the match in verbose mode", () => {
    const v = loadVectors("legacy.json").find((x) => x.name === "legacy_simple")!;
    const { io, out, err } = capture();
    expect(runDecode(["--verbose", str(v, "encoded")], env, io)).toBe(0);
    expect([out, err]).toEqual([['{"foo":"bar"}'], ["matched: pre-3.1 format"]]);
  });

  it("checks --max-age against the clock and accepts fallback keys", () => {
    const v = loadVectors("signed_cookies.json").find((x) => x.name === "max_age_check_max_age_plus_1s")!;
    const late = capture(new Date(Number(v.verify_at) * 1000));
    expect(runDecode(["--max-age", "1209600", str(v, "encoded")], env, late.io)).toBe(1);
    expect(late.err[0]).toMatch(/age/);
    const other = loadVectors("other_key.json").find((x) => x.name === "db_simple")!;
    const rotated = capture();
    expect(runDecode(["--secret-key", "new", "--fallback-key", OTHER, str(other, "encoded")], {}, rotated.io)).toBe(0);
  });

  it("explains usage errors with exit 2", () => {
    const { io, err } = capture();
    expect(runDecode(["x"], {}, io)).toBe(2);
    expect(err[0]).toMatch(/SESSION_SECRET_KEY/);
  });
});

describe("encode", () => {
  it.each(loadVectors("db.json").filter((v) => typeof v.serialized === "string" && v.encode_is_deterministic).map((v) => [v.name, v] as [string, DjangoVector]))(
    "%s reproduces Django's value",
    (_n, v) => {
      const { io, out } = capture();
      expect(runEncode(["--timestamp", String(v.timestamp), str(v, "serialized")], env, io)).toBe(0);
      expect(out).toEqual([v.encoded]);
    },
  );

  it("signs for another salt, uncompressed on request, and decode reads it back", () => {
    const { io, out } = capture();
    const data = JSON.stringify({ k: "x".repeat(100) });
    runEncode(["--salt", "django.contrib.sessions.backends.signed_cookies", "--no-compress", data], env, io);
    expect(out[0]).toMatch(/^eyJ/);
    const back = capture();
    expect(runDecode([out[0]!], env, back.io)).toBe(0);
    expect(back.out).toEqual([data]);
  });

  it("rejects invalid JSON", () => {
    const { io, err } = capture();
    expect(runEncode(["{nope"], env, io)).toBe(2);
    expect(err[0]).toMatch(/invalid JSON/);
  });
});

describe("dispatch", () => {
  it("routes commands and prints help", async () => {
    const help = capture();
    expect(await runCli(["decode", "--help"], env, help.io)).toBe(0);
    expect(help.out[0]).toMatch(/^Usage: sessionscope decode/);
    const usage = capture();
    expect(await runCli(["clearsessions", "--batch-size", "-1"], env, usage.io)).toBe(2);
    const unknown = capture();
    expect(await runCli(["frobnicate"], env, unknown.io)).toBe(2);
  });
});

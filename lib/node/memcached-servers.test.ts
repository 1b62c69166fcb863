// Server placement against the real pymemcache (Debian's python3-pymemcache): the same
// servers, the same keys, the same choices as Django's PyMemcacheCache.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { murmur3_32, parseMemcachedUrl, rendezvousNode } from "./memcached-servers.ts";

function python(script: string, input: unknown): unknown {
  const result = spawnSync("/usr/bin/python3", ["-c", script], { input: JSON.stringify(input), encoding: "utf8", maxBuffer: 16 << 20 });
  if (result.status !== 0) throw new Error(`python3 failed (python3-pymemcache installed?): ${result.stderr}`);
  return JSON.parse(result.stdout);
}

const keys = Array.from({ length: 400 }, (_, i) => `:1:django.contrib.sessions.cache${i.toString(36).padStart(32, "k")}`).concat(["", "a", "ab", "abc", "sessionscope:cache:expiry:x"]);

describe("pymemcache's key placement", () => {
  it("hashes as pymemcache's murmur3_32", () => {
    const expected = python("import json,sys\nfrom pymemcache.client.murmur3 import murmur3_32\nprint(json.dumps([murmur3_32(k) for k in json.load(sys.stdin)]))", keys);
    expect(keys.map((k) => murmur3_32(k))).toEqual(expected);
  });

  it("sends each key to the server HashClient sends it to", () => {
    const servers = ["127.0.0.1:11211", "127.0.0.1:11212", "cache-b.internal:11211"];
    const expected = python(
      "import json,sys\nfrom pymemcache.client.hash import HashClient\nservers, keys = json.load(sys.stdin)\n" +
        "c = HashClient(servers)\nprint(json.dumps([c.hasher.get_node(k) for k in keys]))",
      [servers, keys],
    ) as string[];
    expect(keys.map((k) => rendezvousNode(servers, k))).toEqual(expected);
    // Every server gets some keys: the placement spreads them.
    expect(new Set(expected).size).toBe(3);
  });
});

describe("MEMCACHED_URL", () => {
  it("lists one or several servers", () => {
    expect(parseMemcachedUrl("memcached://127.0.0.1:11211")).toEqual(["127.0.0.1:11211"]);
    expect(parseMemcachedUrl("memcached://a:1,b:2")).toEqual(["a:1", "b:2"]);
    expect(parseMemcachedUrl("memcached://a:1, memcached://b.example:2/")).toEqual(["a:1", "b.example:2"]);
  });

  it("refuses what is not host:port", () => {
    for (const url of ["memcached://127.0.0.1", "redis://x:1", "memcached://a:1,", "memcached://a b:1"]) {
      expect(() => parseMemcachedUrl(url)).toThrow(/memcached:\/\/host:port/);
    }
  });
});

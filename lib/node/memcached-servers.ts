/**
 * Which server of several holds a key, exactly as pymemcache's HashClient (Django's
 * PyMemcacheCache) decides: rendezvous hashing (pymemcache/client/rendezvous.py) with
 * MurmurHash3 x86 32-bit, seed 0 (pymemcache/client/murmur3.py), of "<node>-<key>"
 * where a node is "host:port" as written in Django's LOCATION. So a SessionScope
 * and a Django site given the same server list read and write the same server.
 */

/** The servers of MEMCACHED_URL: "memcached://host:port" items, comma-separated (the scheme may be given once, first). */
export function parseMemcachedUrl(url: string): string[] {
  const servers = url.split(",").map((part) => part.trim().replace(/^memcached:\/\//, "").replace(/\/$/, ""));
  for (const server of servers) {
    if (!/^[A-Za-z0-9.-]+:\d{1,5}$/.test(server)) {
      throw new TypeError(`must list servers as memcached://host:port, comma-separated (got ${JSON.stringify(server)})`);
    }
  }
  return servers;
}

/** MurmurHash3 x86_32 of a string's UTF-16 code units taken as bytes (pymemcache hashes `ord()` of each character; keys here are ASCII). */
export function murmur3_32(text: string, seed = 0): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const length = text.length;
  const byte = (i: number) => text.charCodeAt(i) & 0xff;
  let h1 = seed | 0;
  const rounded = length & ~3;
  for (let i = 0; i < rounded; i += 4) {
    let k1 = byte(i) | (byte(i + 1) << 8) | (byte(i + 2) << 16) | (byte(i + 3) << 24);
    k1 = Math.imul(k1, c1);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, c2);
    h1 ^= k1;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
  }
  let k1 = 0;
  const tail = length & 3;
  if (tail === 3) k1 = byte(rounded + 2) << 16;
  if (tail >= 2) k1 |= byte(rounded + 1) << 8;
  if (tail >= 1) {
    k1 |= byte(rounded);
    k1 = Math.imul(k1, c1);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, c2);
    h1 ^= k1;
  }
  h1 ^= length;
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  return h1 >>> 0;
}

/** The node with the highest score for `key`; ties go to the greater node name, as in pymemcache. */
export function rendezvousNode(nodes: readonly string[], key: string): string {
  let best = -1;
  let winner: string | undefined;
  for (const node of nodes) {
    const score = murmur3_32(`${node}-${key}`);
    if (score > best) [best, winner] = [score, node];
    else if (score === best && winner !== undefined && node > winner) winner = node;
  }
  if (winner === undefined) throw new TypeError("rendezvousNode: no servers");
  return winner;
}

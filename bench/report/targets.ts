/**
 * Issue 13's targets that the section benches measure (the core comparison's
 * are its rows, see stats.ts): which bench owns each, the heading of the
 * section of docs/benchmarks.md that explains it, and the words of the target.
 * A section bench prints one verdict line per target (`verdictLine`); the
 * runner lists every target here in the summary, run or not.
 */
import type { VerdictLine } from "../common.ts";

/** The section benches `npm run bench` runs after the core backends, in this order (`--sections`). */
export const SECTION_IDS = ["codec3", "store-sizes", "write-breakdown", "redis-breakdown", "cli", "clearsessions", "seed", "request-cost"] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export interface SectionTarget {
  readonly id: string;
  readonly target: string;
  /** The heading (## or ###) of the section that explains the result. */
  readonly heading: string;
}

export interface SectionBench {
  readonly id: SectionId;
  /** The name of its marked block in docs/benchmarks.md (<!-- name:start -->). */
  readonly marker: string;
  readonly targets: readonly SectionTarget[];
}

const CODEC = "The session codec at three sizes, against Django";
const CLI = "The command line's start-up";
const CLEAR = "clearsessions: speed, and what logins wait";
export const SEED_HEADING = "Seeding against a plain bulk insert";
const REQUEST = "What a session costs a request";
const MEMORY = "Steady memory";

export const SECTION_BENCHES: readonly SectionBench[] = [
  {
    id: "codec3", marker: "codec", targets: [
      { id: "codec3/encode", heading: CODEC, target: "codec at 1 KB, realistic sessions: encode ≥ 2× Django's" },
      { id: "codec3/decode-own", heading: CODEC, target: "codec at 1 KB: decode of its own values ≥ 1.5× Django's decode of Django's" },
      { id: "codec3/decode-django", heading: CODEC, target: "codec at 1 KB: decode of Django's compressed values ≥ 1× Django's" },
    ],
  },
  // No target of its own: the store's ops at the codec's three sizes (item 5: no tuning to one payload).
  { id: "store-sizes", marker: "store-sizes", targets: [] },
  // No target of its own: where the SQLite writes' time goes, for the write targets they miss.
  { id: "write-breakdown", marker: "write-breakdown", targets: [] },
  // Nor this one: where a Redis load's and write's time goes, for the Redis and cached_db misses.
  { id: "redis-breakdown", marker: "redis-breakdown", targets: [] },
  {
    id: "cli", marker: "cli-startup", targets: [
      { id: "cli/help", heading: CLI, target: "`sessionscope --help` within 2.5× a bare `node -e 0`" },
      { id: "cli/decode", heading: CLI, target: "`sessionscope decode VALUE` within 2.5× a bare `node -e 0`" },
    ],
  },
  {
    id: "clearsessions", marker: "clearsessions", targets: [
      { id: "clearsessions/speed", heading: CLEAR, target: "clearsessions ≥ 0.5× the speed of one DELETE of the same rows (seeded SQLite, 50,000 expired)" },
      { id: "clearsessions/login-wait", heading: CLEAR, target: "a login beside clearsessions never waits more than 50 ms" },
    ],
  },
  {
    id: "seed", marker: "seed", targets: [
      { id: "seed/sqlite", heading: SEED_HEADING, target: "`sessionscope seed` ≥ 0.5× the speed of a plain bulk insert (SQLite, 100,000 sessions)" },
      { id: "seed/postgresql", heading: SEED_HEADING, target: "`sessionscope seed` ≥ 0.5× the speed of a plain bulk insert (PostgreSQL, 100,000 sessions)" },
    ],
  },
  {
    id: "request-cost", marker: "request-cost", targets: [
      { id: "request-cost/saturation", heading: REQUEST, target: "session route ≥ 0.8 of the plain route's req/s at saturation (default setup)" },
      { id: "request-cost/one-connection", heading: REQUEST, target: "session request ≤ 1.25× the plain request's time at one connection (default setup)" },
      { id: "request-cost/memory", heading: MEMORY, target: "RSS after 200,000 session requests within 10 % of RSS after 20,000 (each settled: full collections a second apart until it stops falling)" },
    ],
  },
];

export const isSectionId = (name: string): name is SectionId => (SECTION_IDS as readonly string[]).includes(name);

function targetById(id: string): SectionTarget {
  const found = SECTION_BENCHES.flatMap((s) => s.targets).find((t) => t.id === id);
  if (!found) throw new Error(`bench: no issue-13 target ${id} in bench/report/targets.ts`);
  return found;
}

/** The verdict line a section bench prints for target `id`. */
export function verdictLine(id: string, result: string, met: boolean): VerdictLine {
  const { target, heading } = targetById(id);
  return { verdict: id, target, result, met, section: heading };
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function anchor(heading: string): string {
  return `#${heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-")}`;
}

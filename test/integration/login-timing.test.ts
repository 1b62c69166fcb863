// No user enumeration by timing: an unknown username, an unusable password,
// a hash in a format not verified here and a wrong password for a real user
// cost one PBKDF2 at the configured iteration count each, so they take the
// same time. Real SQLite, the app's credential checker and throttle.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryCounterStore } from "../../lib/server/auth/rate-limit.ts";
import { hashPassword } from "../../lib/session/index.ts";
import { createSqliteDatabase, type TestDatabase } from "../helpers/databases.ts";
import { addUser, countPbkdf2, openCredentials, statusOf } from "./auth-fixtures.ts";

const ITERATIONS = 50_000; // the app's 600,000 would make the same point twelve times slower
const RUNS = 31;

// Hashes a Django site using Argon2PasswordHasher or BCryptSHA256PasswordHasher stores.
const FOREIGN_HASHES = [
  "argon2$argon2id$v=19$m=102400,t=2,p=8$c29tZXNhbHRzb21lc2FsdA$Wx0PrgUVNzeqDdGFkjwHxqTmIBGDZN7Bg5x2JDMzKFQ",
  "bcrypt_sha256$$2b$12$Lv6bqGP0mYBTeZ0iVKjVjOYVQpKZrG4T2Q0iYdeGhgf8Gm2wV0w0y",
];

/** What is stored for each kind of account a login can hit (null: no account). */
const CASES = {
  "unknown user": null,
  "unusable password": () => `!${randomBytes(30).toString("base64url").slice(0, 40)}`,
  "argon2 or bcrypt hash": (run: number) => FOREIGN_HASHES[run % FOREIGN_HASHES.length]!,
  "wrong password": () => hashPassword("the real password", { iterations: ITERATIONS }),
} as const;
type Case = keyof typeof CASES;
const NAMES = Object.keys(CASES) as Case[];

// One account and one address per case and run, so that no throttle counter comes near a limit.
const username = (name: Case, run: number) => `${name.replace(/ /g, "-")}-${run}`;
const address = (name: Case, run: number) => `198.51.${NAMES.indexOf(name)}.${run}`;

const round = (value: number) => Math.round(value * 100) / 100;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe("login timing", () => {
  let t: TestDatabase;
  const elapsed = new Map<Case, number[]>(NAMES.map((name) => [name, []]));
  const work = new Map<Case, number[][]>(NAMES.map((name) => [name, []]));

  beforeAll(async () => {
    t = await createSqliteDatabase();
    for (const name of NAMES) {
      const stored = CASES[name];
      if (stored === null) continue;
      for (let run = 0; run <= RUNS; run++) await addUser(t.db.prisma, username(name, run), await stored(run));
    }
    const credentials = openCredentials(t.db.prisma, createMemoryCounterStore(), { iterations: ITERATIONS });
    // Run 0 warms up (JIT, the database connection) and is not measured; the cases take turns in every run.
    for (let run = 0; run <= RUNS; run++) {
      for (let i = 0; i < NAMES.length; i++) {
        const name = NAMES[(i + run) % NAMES.length]!;
        const pbkdf2 = countPbkdf2();
        const started = performance.now();
        const { status } = await statusOf(credentials.authenticate(username(name, run), "a wrong guess", address(name, run)));
        const took = performance.now() - started;
        pbkdf2.stop();
        expect(status).toBe(401);
        if (run === 0) continue;
        elapsed.get(name)!.push(took);
        work.get(name)!.push([...pbkdf2.iterations]);
      }
    }
  });
  afterAll(() => t.dispose());

  it("does the same password work in every case: one PBKDF2 at the configured iteration count", () => {
    for (const name of NAMES) expect({ name, work: work.get(name) }).toEqual({ name, work: Array(RUNS).fill([ITERATIONS]) });
  });

  it("takes the same time in every case, within 25 %", () => {
    // Each time is divided by its run's median first: the machine's load drifts over seconds, while
    // one run's cases follow each other within a fraction of one, so the drift cancels out.
    const runMedians = Array.from({ length: RUNS }, (_, run) => median(NAMES.map((name) => elapsed.get(name)![run]!)));
    const relative = Object.fromEntries(NAMES.map((name) => [name, round(median(elapsed.get(name)!.map((ms, run) => ms / runMedians[run]!)))]));
    const raw = Object.fromEntries(NAMES.map((name) => [name, round(median(elapsed.get(name)!))]));
    console.info(`login timing over ${RUNS} runs: median ms ${JSON.stringify(raw)}; median relative to the run's median ${JSON.stringify(relative)}`);
    const values = Object.values(relative);
    expect(Math.max(...values) / Math.min(...values), JSON.stringify(relative)).toBeLessThanOrEqual(1.25);
  });
});

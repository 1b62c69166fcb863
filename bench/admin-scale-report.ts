/** The section "A million sessions" of docs/benchmarks.md, from the scale benchmark's results. */
import { cpus, loadavg, totalmem } from "node:os";
import BetterSqlite3 from "better-sqlite3";
import type { ExplainedPlan } from "./admin-scale-plans.ts";
import { readsLiveSet, unexpectedScans } from "./admin-scale-queries.ts";
import { utcStamp } from "./report/format.ts";

export interface QueryTiming {
  readonly name: string;
  readonly p50: number;
  readonly p95: number;
  readonly plans: ReadonlyArray<{ readonly sql: string; readonly plan: ExplainedPlan }>;
}

export interface BrowserTiming {
  /** Time from navigation to the first row of the list on screen, ms (median, p95 over the runs). */
  readonly p50: number;
  readonly p95: number;
  readonly runs: number;
}

export interface SizeResult {
  readonly sessions: number;
  readonly seedMs: number;
  readonly floorMs: number;
  readonly queries: readonly QueryTiming[];
  readonly browser: BrowserTiming | null;
  readonly large: boolean;
}

export interface ProviderResult {
  readonly provider: "sqlite" | "postgresql";
  readonly small: SizeResult;
  readonly big: SizeResult;
}

export interface ScaleReport {
  readonly results: readonly ProviderResult[];
  readonly started: Date;
  readonly seconds: number;
  readonly runs: number;
  readonly warmup: number;
  readonly pgVersion: string | null;
}

const NAMES = { sqlite: "SQLite", postgresql: "PostgreSQL" } as const;
const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const count = (n: number) => n.toLocaleString("en-US");
const QUERY_TARGET = 2;
const BROWSER_TARGET = 1.5;
const SEED_TARGET = 0.5;

function seedRows(results: readonly ProviderResult[]): string[] {
  return results.flatMap(({ provider, small, big }) =>
    [small, big].filter((size) => Number.isFinite(size.seedMs)).map((size) => {
      const speed = size.floorMs / size.seedMs;
      const rate = (size.sessions / size.seedMs) * 1000;
      return `| ${NAMES[provider]} | ${count(size.sessions)} | ${(size.seedMs / 1000).toFixed(1)} s (${count(Math.round(rate))}/s) | ${(size.floorMs / 1000).toFixed(1)} s | ${speed.toFixed(2)} | ${speed >= SEED_TARGET ? "yes" : "**no**"} |`;
    }),
  );
}

function queryRows(results: readonly ProviderResult[]): string[] {
  const names = results[0]?.small.queries.map((q) => q.name) ?? [];
  return names.map((name) => {
    const cells = results.flatMap(({ small, big }) => {
      const a = small.queries.find((q) => q.name === name);
      const b = big.queries.find((q) => q.name === name);
      if (!a || !b) return ["–", "–", "–"];
      const ratio = b.p95 / a.p95;
      const indexed = b.plans.every((p) => unexpectedScans(name, p.plan).length === 0);
      const bounded = b.plans.some((p) => p.plan.boundedScans.length > 0);
      const whole = b.plans.some((p) => readsLiveSet(name, p.plan));
      const marks = [ratio <= QUERY_TARGET ? "" : "**over**", indexed ? "" : "**scan**", bounded ? "(capped scan)" : "", whole ? "(live-set scan)" : ""].filter(Boolean).join(" ");
      return [`${ms(a.p50)} / ${ms(a.p95)}`, `${ms(b.p50)} / ${ms(b.p95)}`, `${ratio.toFixed(2)}× ${marks}`.trim()];
    });
    return `| ${name} | ${cells.join(" | ")} |`;
  });
}

function planBlocks(results: readonly ProviderResult[]): string[] {
  return results.flatMap(({ provider, big }) => [
    `<details><summary>${NAMES[provider]}: plans at ${count(big.sessions)} sessions</summary>`,
    "",
    ...big.queries.flatMap((query) => [
      `**${query.name}**`,
      "",
      ...query.plans.flatMap(({ sql, plan }) => ["```sql", sql.replace(/\s+/g, " ").trim(), "```", "```", ...plan.lines, "```", ""]),
    ]),
    "</details>",
    "",
  ]);
}

function browserRows(results: readonly ProviderResult[]): string[] {
  return results.flatMap(({ provider, small, big }) => {
    if (!small.browser || !big.browser) return [];
    const ratio = big.browser.p95 / small.browser.p95;
    return [
      `| ${NAMES[provider]} | ${ms(small.browser.p50)} / ${ms(small.browser.p95)} | ${ms(big.browser.p50)} / ${ms(big.browser.p95)} | ${ratio.toFixed(2)}× ${ratio <= BROWSER_TARGET ? "" : "**over**"} |`.trimEnd(),
    ];
  });
}

export function renderScaleSection(report: ScaleReport): string[] {
  const { results } = report;
  const sizes = results[0] ? [results[0].small.sessions, results[0].big.sessions] : [0, 0];
  const [small, big] = sizes.map(count) as [string, string];
  const sqliteVersion = (new BetterSqlite3(":memory:").prepare("SELECT sqlite_version() AS v").get() as { v: string }).v;
  const browser = browserRows(results);
  const allQueries = results.flatMap((r) => r.big.queries.map((q) => ({ q, small: r.small.queries.find((s) => s.name === q.name) })));
  const within = allQueries.filter(({ q, small: s }) => s && q.p95 / s.p95 <= QUERY_TARGET).length;
  const scans = allQueries.filter(({ q }) => q.plans.some((p) => unexpectedScans(q.name, p.plan).length > 0)).length;
  return [
    "## A million sessions",
    "",
    `Generated by \`npm run bench:scale\` on ${utcStamp(report.started)} in ${Math.round(report.seconds)} s. Machine: ${cpus()[0]?.model.trim() ?? "CPU"}, ${cpus().length} cores,`,
    `${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, SQLite ${sqliteVersion}${report.pgVersion ? `, PostgreSQL ${report.pgVersion} (fsync off)` : ""};`,
    `load average ${loadavg().map((l) => l.toFixed(1)).join(", ")} when it finished (a shared machine: absolute times are noisy, the ratios less so).`,
    "",
    `Each database is seeded twice by \`sessionscope seed\` (${small}, then ${big} sessions; one synthetic user per 50 sessions, Zipf-like, 2% expired,`,
    "real user agents, addresses clustered by user), with the planner's statistics refreshed by the seed. Each query then runs",
    `${report.warmup} times to warm up and ${report.runs} times measured, through the data layer's own functions (\`listSessions\`,`,
    "`getSessionDetail`, with an admin caller): a list call is the page *and* its count. The plan of every statement a call",
    "sends is explained at both sizes; a scan of `django_session`, `sessionscope_session_meta` or `auth_user` without an index",
    "is marked **scan**; one under a capped count's LIMIT (the filter matches nearly every row, so the planner reads rows in",
    "table order and stops after 1,001 matches) is marked (capped scan); the preview's read of the table its live sessions",
    "come from, in table order (it looks at every live session, 98% of the rows), is marked (live-set scan).",
    "",
    "### Seeding: `sessionscope seed` against a plain bulk insert",
    "",
    "The floor inserts the same kind of rows, generated beforehand (not timed), into the same tables of a fresh database",
    "(same indexes and triggers), 5,000 rows per transaction. The seed also creates its users, encodes and signs every",
    "session (worker threads) and refreshes the statistics. Target: at least half the floor's speed.",
    "",
    "| database | sessions | seed | floor | speed vs floor | ≥ 0.5 |",
    "|---|---:|---:|---:|---:|---|",
    ...seedRows(results),
    "",
    `### Queries: p50 / p95 in ms, ${small} against ${big} sessions`,
    "",
    `Target: p95 at ${big} within ${QUERY_TARGET}× of p95 at ${small}. ${within} of ${allQueries.length} meet it; ${scans} plan${scans === 1 ? "" : "s"} with a full scan.`,
    "",
    `| query | ${results.map((r) => `${NAMES[r.provider]} ${small} | ${NAMES[r.provider]} ${big} | ratio`).join(" | ")} |`,
    `|---|${results.map(() => "---:|---:|---:|").join("")}`,
    ...queryRows(results),
    "",
    ...(browser.length
      ? [
          "### The browser: first page of the list",
          "",
          `Chromium (Playwright) against \`next start\` on the seeded SQLite file, signed in as an admin: time from navigation to`,
          `the first row of /admin/sessions on screen, p50 / p95 in ms. Target: within ${BROWSER_TARGET}× at ${big}.`,
          "",
          `| database | ${small} | ${big} | ratio |`,
          "|---|---:|---:|---:|",
          ...browser,
          "",
        ]
      : []),
    "### Plans",
    "",
    ...planBlocks(results),
  ];
}

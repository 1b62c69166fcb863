import "server-only";
/**
 * Input of the admin API (docs/admin-api.md), validated with zod. Query
 * strings arrive as text: empty parameters count as absent, so a filter bar
 * that serialises every field still works. Bad input is a 400 that names the
 * parameter.
 */
import { z } from "zod";
import type { AdminSessionQuery, AdminUserQuery, AuditQuery, RoleChangeRequest } from "@/lib/admin-api";
import { ROLES } from "@/lib/roles";
import { API_ERRORS, HttpError } from "../http.ts";

/** Most rows a page may ask for. */
export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;
/** Most sessions one "kill selected" may name. */
export const MAX_REVOKE_IDS = 500;

/** An opaque public id: what the engines generate (22 base64url characters), with room to spare. */
export const publicIdParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "is not a session id");

const instant = z
  .string()
  .max(40)
  .refine((text) => /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) && !Number.isNaN(Date.parse(text)), "must be an ISO 8601 date or time")
  .transform((text) => new Date(text));

const limit = z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`);
const cursor = z.string().max(2048, "is too long");

export const SESSION_SORTS = ["created", "-created", "activity", "-activity", "expiry", "-expiry"] as const;
export type SessionSort = (typeof SESSION_SORTS)[number];

// Exactly the contract's parameters (lib/admin-api.ts): `satisfies` fails the build when they drift apart.
export const sessionQuerySchema = z.strictObject({
  status: z.enum(["active", "expired", "all"]).default("active"),
  user: z.string().trim().min(1).max(150, "is too long").optional(),
  ip: z
    .string()
    .trim()
    .max(45, "is too long")
    .regex(/^[0-9A-Fa-f.:]+$/, "must be an IP address or a prefix such as 10.0. or 2001:db8:")
    .optional(),
  device: z.string().trim().min(1).max(64, "is too long").optional(),
  engine: z.string().trim().max(16, "is too long").regex(/^[a-z_]+$/, "is not an engine name").optional(),
  createdFrom: instant.optional(),
  createdTo: instant.optional(),
  activeFrom: instant.optional(),
  activeTo: instant.optional(),
  q: z.string().trim().min(1).max(150, "is too long").optional(),
  flagged: z.enum(["1"], { error: 'must be 1 (only flagged sessions) or left out' }).optional(),
  sort: z.enum(SESSION_SORTS).default("-created"),
  cursor: cursor.optional(),
  limit: limit.default(DEFAULT_PAGE_SIZE),
} satisfies Record<keyof AdminSessionQuery, z.ZodType>);

export type SessionQuery = z.output<typeof sessionQuerySchema>;

/** POST /api/admin/policy/preview's query: `count=exact` counts every live session even above the snapshot size. */
export const previewQuerySchema = z.strictObject({
  count: z.enum(["exact", "estimate"], { error: "must be exact or estimate" }).optional(),
});

export const sessionDetailQuerySchema = z.strictObject({
  reveal: z.enum(["hash"]).optional(),
});

export const auditQuerySchema = z.strictObject({
  actor: z.string().trim().min(1).max(150, "is too long").optional(),
  action: z.string().trim().min(1).max(64, "is too long").optional(),
  from: instant.optional(),
  to: instant.optional(),
  cursor: cursor.optional(),
  limit: limit.default(DEFAULT_PAGE_SIZE),
  format: z.enum(["json", "csv"]).default("json"),
} satisfies Record<keyof AuditQuery, z.ZodType>);

export type AuditFilter = z.output<typeof auditQuerySchema>;

const REVOKE_KINDS = {
  ids: z.strictObject({ ids: z.array(publicIdParam).min(1, "must name at least one session").max(MAX_REVOKE_IDS, `can name at most ${MAX_REVOKE_IDS} sessions`) }),
  userId: z.strictObject({ userId: z.number({ error: "must be a user id" }).int("must be a whole number").positive("must be positive").max(2_147_483_647, "is too large") }),
  issuedBefore: z.strictObject({ issuedBefore: instant }),
};
type RevokeKind = keyof typeof REVOKE_KINDS;

/** Exactly one of {ids}, {userId}, {issuedBefore}; the problems of the one given are named (a plain union would only say "invalid"). */
export const revokeSchema = z.unknown().transform((value, ctx) => {
  const given = value !== null && typeof value === "object" && !Array.isArray(value) ? (Object.keys(REVOKE_KINDS) as RevokeKind[]).filter((kind) => Object.hasOwn(value, kind)) : [];
  if (given.length !== 1) {
    ctx.addIssue({ code: "custom", message: "send exactly one of {ids}, {userId} or {issuedBefore}" });
    return z.NEVER;
  }
  const parsed = REVOKE_KINDS[given[0]!].safeParse(value);
  if (!parsed.success) {
    for (const issue of readableIssues(parsed.error.issues)) ctx.addIssue({ code: "custom", ...issue });
    return z.NEVER;
  }
  return parsed.data as { ids: string[] } | { userId: number } | { issuedBefore: Date };
});

export type RevokeInput = z.output<typeof revokeSchema>;

export const roleChangeSchema = z.strictObject({
  role: z.enum(ROLES).nullable(),
}) satisfies z.ZodType<RoleChangeRequest>;

export const userQuerySchema = z.strictObject({
  q: z.string().trim().min(1).max(150, "is too long").optional(),
  limit: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(500, "must be at most 500").default(100),
} satisfies Record<keyof AdminUserQuery, z.ZodType>);

export const userIdParam = z.string().regex(/^\d{1,10}$/, "is not a user id").transform(Number).pipe(z.number().max(2_147_483_647, "is not a user id"));

/** zod's issues with each unexpected key named on its own. */
function readableIssues(issues: readonly z.core.$ZodIssue[]): Array<{ path: PropertyKey[]; message: string }> {
  return issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: [...issue.path, key], message: "is not expected here" }))
      : [{ path: [...issue.path], message: issue.message }],
  );
}

/** Validates admin input: a 400 naming the first problem (all of them in `details`). */
export function parseAdminInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = readableIssues(parsed.error.issues).map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
  const first = issues[0];
  throw new HttpError(400, API_ERRORS.VALIDATION, first ? `${first.path || "input"}: ${first.message}` : "Invalid input.", {}, issues);
}

/** A query string: a request's URLSearchParams, or the `searchParams` Next gives a page. */
export type QuerySource = URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>>;

/** A query string as the schemas take it: empty values dropped, a repeated parameter refused. */
export function queryObject(params: QuerySource): Record<string, string> {
  const entries: Array<readonly [string, string]> =
    params instanceof URLSearchParams
      ? [...params]
      : Object.entries(params).flatMap(([name, value]) => (value === undefined ? [] : typeof value === "string" ? [[name, value] as const] : value.map((v) => [name, v] as const)));
  const out: Record<string, string> = {};
  for (const [name, value] of entries) {
    if (Object.hasOwn(out, name)) throw new HttpError(400, API_ERRORS.VALIDATION, `${name}: given more than once`);
    if (value !== "") out[name] = value;
  }
  return out;
}

/**
 * A query validated by `schema`: what route handlers read, and what a page
 * does with its `searchParams` so that a link reproduces the same view
 * (a 400 HttpError on bad input).
 */
export function parseAdminQuery<S extends z.ZodType>(schema: S, params: QuerySource): z.output<S> {
  return parseAdminInput(schema, queryObject(params));
}

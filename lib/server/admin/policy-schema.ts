import "server-only";
/**
 * What a live policy may be: the ranges Django allows, and the rules between
 * fields (an idle timeout longer than the absolute lifetime could never
 * apply; browsers drop SameSite=None cookies without Secure). Each message
 * names its field, as the other admin routes do (400 validation_failed).
 */
import { z } from "zod";
import type { PolicySettings, PolicyUpdateRequest } from "@/lib/admin-api";

export const MINUTE = 60;
export const DAY = 86_400;
/** Ten years: as long as a session cookie may reasonably be asked to live. */
export const MAX_SECONDS = 3650 * DAY;
export const MAX_SESSIONS_PER_USER = 1000;

const seconds = (min: number, what: string) =>
  z
    .number({ error: "must be a number of seconds" })
    .int("must be a whole number of seconds")
    .min(min, `must be at least ${min} seconds (${what})`)
    .max(MAX_SECONDS, `must be at most ${MAX_SECONDS} seconds (10 years)`);

const settingsShape = {
  cookieAge: seconds(MINUTE, "one minute"),
  expireAtBrowserClose: z.boolean({ error: "must be true or false" }),
  saveEveryRequest: z.boolean({ error: "must be true or false" }),
  idleTimeout: seconds(MINUTE, "one minute").nullable(),
  absoluteLifetime: seconds(MINUTE, "one minute").nullable(),
  cookieSecure: z.boolean({ error: "must be true or false" }),
  cookieSameSite: z.union([z.enum(["Lax", "Strict", "None"]), z.literal(false)], { error: 'must be "Lax", "Strict", "None" or false' }),
  maxSessionsPerUser: z
    .number({ error: "must be a number or null" })
    .int("must be a whole number")
    .min(1, "must be at least 1 (or null for no limit)")
    .max(MAX_SESSIONS_PER_USER, `must be at most ${MAX_SESSIONS_PER_USER}`)
    .nullable(),
} satisfies Record<keyof PolicySettings, z.ZodType>;

function checkRules(value: PolicySettings, ctx: z.RefinementCtx): void {
  if (value.idleTimeout !== null && value.absoluteLifetime !== null && value.idleTimeout > value.absoluteLifetime) {
    ctx.addIssue({ code: "custom", path: ["idleTimeout"], message: "must not be longer than the absolute lifetime (it could never apply)" });
  }
  if (value.cookieSameSite === "None" && !value.cookieSecure) {
    ctx.addIssue({ code: "custom", path: ["cookieSameSite"], message: '"None" needs cookieSecure on (browsers drop SameSite=None cookies without Secure)' });
  }
}

/** A candidate policy (the preview's body). */
export const policySettingsSchema = z.strictObject(settingsShape).superRefine(checkRules) satisfies z.ZodType<PolicySettings>;

/** PUT /api/admin/policy: every setting and the version it was made from. */
export const policyUpdateSchema = z
  .strictObject({ ...settingsShape, version: z.number({ error: "must be the version you loaded" }).int("must be a whole number").min(0, "must be 0 or more") })
  .superRefine(checkRules) satisfies z.ZodType<PolicyUpdateRequest>;

import "server-only";
/**
 * The live session policy (GET/PUT /api/admin/policy, POST
 * /api/admin/policy/preview). Every dashboard role may read it; only
 * `policy:edit` (admins) may change it. A change is written with its audit
 * entry (old and new values) in one transaction, guarded by the version the
 * admin loaded, then every instance's cached policy is dropped: this one at
 * once, the others through the `policy.changed` event (or, at the latest,
 * when their 5-second cache runs out).
 */
import type { AdminPolicyView, PolicyImpact, PolicySettings, PolicyUpdateRequest } from "@/lib/admin-api";
import { can } from "@/lib/roles";
import { supportsUserIndex } from "@/lib/session";
import { AUDIT_ACTIONS, auditRow } from "../../node/admin/audit.ts";
import { getEnv } from "../../node/env.ts";
import { envPolicy, readSavedPolicy, storedSameSite, type LiveSessionPolicy } from "../../node/session/policy.ts";
import type { RequestInfo } from "../../node/session/request-info.ts";
import { secureCookieRequired } from "../../node/session/runtime.ts";
import { publishAdminEvent } from "../events.ts";
import { API_ERRORS, HttpError } from "../http.ts";
import { assertPermission, auditActor, type AdminUser } from "./access.ts";
import { appAdminContext, type AdminContext } from "./context.ts";
import { previewImpact, previewUnavailable, type PreviewOptions } from "./policy-preview.ts";
import { sessionIndex } from "./session-keys.ts";

/** What the environment decides about the policy, beyond the defaults. */
export interface PolicyRules {
  /** Secure must stay on (production without TRUST_PROXY or SESSIONSCOPE_ALLOW_INSECURE_COOKIE). */
  readonly secureRequired: boolean;
}

export const appPolicyRules = (): PolicyRules => ({ secureRequired: secureCookieRequired(getEnv()) });

export function toSettings(policy: LiveSessionPolicy): PolicySettings {
  return {
    cookieAge: policy.cookieAge,
    expireAtBrowserClose: policy.expireAtBrowserClose,
    saveEveryRequest: policy.saveEveryRequest,
    idleTimeout: policy.idleTimeoutSeconds,
    absoluteLifetime: policy.absoluteLifetimeSeconds,
    cookieSecure: policy.cookieSecure,
    cookieSameSite: policy.cookieSameSite,
    maxSessionsPerUser: policy.maxSessionsPerUser,
  };
}

const SETTINGS_KEYS = ["cookieAge", "expireAtBrowserClose", "saveEveryRequest", "idleTimeout", "absoluteLifetime", "cookieSecure", "cookieSameSite", "maxSessionsPerUser"] as const;

const pickSettings = (input: PolicySettings): PolicySettings => Object.fromEntries(SETTINGS_KEYS.map((key) => [key, input[key]])) as unknown as PolicySettings;

function sessionLimitSupport(context: AdminContext): AdminPolicyView["sessionLimit"] {
  if (supportsUserIndex(context.runtime.store)) return { available: true, reason: null };
  return { available: false, reason: `The ${context.runtime.engine} engine keeps no per-user index of sessions, so the limit cannot be enforced: logins are not limited.` };
}

/** GET /api/admin/policy: the policy in force, the environment's defaults, who saved it and when. */
export async function getPolicy(caller: AdminUser, context: AdminContext = appAdminContext(), rules: PolicyRules = appPolicyRules()): Promise<AdminPolicyView> {
  assertPermission(caller, "sessions:view");
  const { config, engine } = context.runtime;
  const saved = await readSavedPolicy(context.prisma, config, rules);
  const defaults = toSettings({ ...envPolicy(config), cookieSecure: config.cookieSecure || rules.secureRequired });
  const unavailable = previewUnavailable(sessionIndex(context), engine);
  return {
    policy: saved ? toSettings(saved.policy) : defaults,
    defaults,
    source: saved ? "saved" : "env",
    version: saved?.version ?? 0,
    savedAt: saved?.savedAt.toISOString() ?? null,
    savedBy: saved?.savedBy ?? null,
    engine,
    preview: { available: unavailable === null, reason: unavailable },
    sessionLimit: sessionLimitSupport(context),
    secureRequired: rules.secureRequired,
    canEdit: can(caller.role, "policy:edit"),
  };
}

const stale = (by: string | null, at: Date | null) =>
  new HttpError(
    409,
    API_ERRORS.CONFLICT,
    `The policy was changed${by ? ` by ${by}` : ""}${at ? ` at ${at.toISOString()}` : ""} after you loaded it. Nothing was saved: reload to see the new values, then make your change again.`,
  );

/**
 * PUT /api/admin/policy: saves every setting, audited with the old and new
 * values in the same transaction. `version` must be the one the caller
 * loaded: a save in between is a 409, never silently overwritten.
 */
export async function savePolicy(
  caller: AdminUser,
  input: PolicyUpdateRequest,
  info: RequestInfo,
  context: AdminContext = appAdminContext(),
  rules: PolicyRules = appPolicyRules(),
): Promise<AdminPolicyView> {
  assertPermission(caller, "policy:edit");
  // Why: behind plain HTTP in production a non-Secure cookie travels in clear text; only the environment may allow that.
  if (rules.secureRequired && !input.cookieSecure) {
    throw new HttpError(400, API_ERRORS.VALIDATION, "cookieSecure: must stay on in production (set SESSIONSCOPE_ALLOW_INSECURE_COOKIE=1 or TRUST_PROXY=true to allow turning it off)");
  }
  const next = pickSettings(input);
  const { config } = context.runtime;
  const actor = auditActor(caller, info);
  const now = context.now();
  const data = {
    cookieAge: next.cookieAge,
    expireAtBrowserClose: next.expireAtBrowserClose,
    saveEveryRequest: next.saveEveryRequest,
    idleTimeoutSeconds: next.idleTimeout,
    absoluteLifetimeSeconds: next.absoluteLifetime,
    cookieSecure: next.cookieSecure,
    cookieSameSite: storedSameSite(next.cookieSameSite),
    maxSessionsPerUser: next.maxSessionsPerUser,
    updatedAt: now,
    updatedById: caller.id,
    updatedBy: caller.username.slice(0, 150),
  };
  try {
    await context.prisma.$transaction(async (tx) => {
      const before = await readSavedPolicy(tx as typeof context.prisma, config, rules);
      if ((before?.version ?? 0) !== input.version) throw stale(before?.savedBy ?? null, before?.savedAt ?? null);
      const old = before ? toSettings(before.policy) : toSettings(envPolicy(config));
      if (before) {
        // The version in the WHERE: a save that committed since our read matches no row.
        const { count } = await tx.sessionPolicy.updateMany({ where: { id: 1, version: input.version }, data: { ...data, version: input.version + 1 } });
        if (count !== 1) throw stale(null, null);
      } else {
        await tx.sessionPolicy.create({ data: { id: 1, ...data, version: 1 } });
      }
      const changed = SETTINGS_KEYS.filter((key) => old[key] !== next[key]);
      await tx.auditEntry.create({ data: auditRow({ actor, action: AUDIT_ACTIONS.POLICY_UPDATE, target: "policy", at: now, detail: { old, new: next, changed, version: input.version + 1 } }) });
    });
  } catch (error) {
    // Another admin created the row first (unique id) or PostgreSQL refused the race: the same 409.
    const code = (error as { code?: unknown }).code;
    if (code === "P2002" || code === "P2034") throw stale(null, null);
    throw error;
  }
  context.runtime.policy.invalidate();
  publishAdminEvent({ type: "policy.changed" });
  return getPolicy(caller, context, rules);
}

/** POST /api/admin/policy/preview: what the candidate does to today's sessions, against the policy in force. */
export async function previewPolicy(caller: AdminUser, candidate: PolicySettings, context: AdminContext = appAdminContext(), options: PreviewOptions = {}): Promise<PolicyImpact> {
  assertPermission(caller, "sessions:view");
  const current = toSettings(await context.runtime.policy.get());
  return previewImpact(context, current, pickSettings(candidate), options);
}

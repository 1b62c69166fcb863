"use client";

import { useState } from "react";
import type { AdminPolicyView, PolicySettings } from "@/lib/admin-api";
import { formatDateTime } from "@/lib/format";
import { ConfirmDialog } from "../../ui/confirm-dialog";
import { adminButton } from "../sessions/admin-buttons";
import { DurationInput, policyControl } from "./duration-input";
import { ImpactPanel, impactSummary } from "./impact-panel";
import { PolicyField } from "./policy-field";
import { changedFields, fieldOfMessage } from "./policy-fields";
import { useDebounced, usePolicyPreview, useSavePolicy } from "./use-policy";

const card = "rounded-lg border border-stone-200 bg-white px-4 shadow-sm dark:border-stone-800 dark:bg-stone-900";
const groupTitle = "pt-4 text-xs font-semibold tracking-wide text-stone-500 uppercase dark:text-stone-400";

function Toggle({ name, checked, onChange, disabled }: { name: keyof PolicySettings; checked: boolean; onChange: (value: boolean) => void; disabled?: boolean }) {
  return (
    <label className="inline-flex items-center gap-2 text-sm">
      <input type="checkbox" id={name} checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} aria-describedby={`${name}-help`} className="size-4 accent-amber-600" />
      {checked ? "On" : "Off"}
    </label>
  );
}

/**
 * The policy as a form, with the impact preview beside it redrawn as values
 * change (debounced; the candidate is the preview's query key), and Save
 * behind a dialog that states the impact. Keyed by the loaded version: after
 * a save (or a 409), the form starts again from the server's values.
 */
export function PolicyEditor({ view }: { view: AdminPolicyView }) {
  const [draft, setDraft] = useState<PolicySettings>(view.policy);
  const [confirming, setConfirming] = useState(false);
  const candidate = useDebounced(draft, 300);
  // "Count exactly" holds for the candidate it was asked for; the next edit is estimated again.
  const [exactFor, setExactFor] = useState<PolicySettings | null>(null);
  const preview = usePolicyPreview(candidate, view.preview.available, exactFor === candidate);
  const save = useSavePolicy();
  const set = <K extends keyof PolicySettings>(key: K, value: PolicySettings[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const changed = changedFields(view.policy, draft);
  const problem = preview.error ? fieldOfMessage(preview.error.message) : null;
  const errorOf = (name: keyof PolicySettings) => (problem === name ? preview.error!.message.replace(/^\w+:\s*/, "") : null);
  const describedBy = (name: keyof PolicySettings) => `${name}-help${problem === name ? ` ${name}-error` : ""}`;
  const impact = preview.data?.available && candidate === draft ? preview.data : null;
  const readOnly = !view.canEdit;
  const settled = candidate === draft && !preview.isFetching;

  return (
    <div className="grid items-start gap-5 xl:grid-cols-[minmax(0,1fr)_24rem]">
      <form
        aria-label="Session policy"
        onSubmit={(event) => {
          event.preventDefault();
          setConfirming(true);
        }}
      >
        <fieldset disabled={readOnly || save.isPending} className="min-w-0">
          <div className={card}>
            <h2 className={groupTitle}>Lifetime</h2>
            <div className="divide-y divide-stone-100 dark:divide-stone-800">
              <PolicyField name="cookieAge" htmlFor="cookieAge" error={errorOf("cookieAge")}>
                <DurationInput id="cookieAge" name="Cookie age" value={draft.cookieAge} onChange={(v) => set("cookieAge", v ?? 60)} invalid={problem === "cookieAge"} describedBy={describedBy("cookieAge")} />
              </PolicyField>
              <PolicyField name="idleTimeout" htmlFor="idleTimeout" error={errorOf("idleTimeout")}>
                <DurationInput id="idleTimeout" name="Idle timeout" optional value={draft.idleTimeout} onChange={(v) => set("idleTimeout", v)} invalid={problem === "idleTimeout"} describedBy={describedBy("idleTimeout")} />
              </PolicyField>
              <PolicyField name="absoluteLifetime" htmlFor="absoluteLifetime" error={errorOf("absoluteLifetime")}>
                <DurationInput
                  id="absoluteLifetime"
                  name="Absolute lifetime"
                  optional
                  value={draft.absoluteLifetime}
                  onChange={(v) => set("absoluteLifetime", v)}
                  invalid={problem === "absoluteLifetime"}
                  describedBy={describedBy("absoluteLifetime")}
                />
              </PolicyField>
              <PolicyField name="expireAtBrowserClose" htmlFor="expireAtBrowserClose">
                <Toggle name="expireAtBrowserClose" checked={draft.expireAtBrowserClose} onChange={(v) => set("expireAtBrowserClose", v)} />
              </PolicyField>
              <PolicyField name="saveEveryRequest" htmlFor="saveEveryRequest">
                <Toggle name="saveEveryRequest" checked={draft.saveEveryRequest} onChange={(v) => set("saveEveryRequest", v)} />
              </PolicyField>
            </div>
            <h2 className={groupTitle}>Cookie</h2>
            <div className="divide-y divide-stone-100 dark:divide-stone-800">
              <PolicyField name="cookieSecure" htmlFor="cookieSecure" error={errorOf("cookieSecure")}>
                <Toggle name="cookieSecure" checked={draft.cookieSecure} disabled={view.secureRequired} onChange={(v) => set("cookieSecure", v)} />
                {view.secureRequired ? <p className="mt-1 text-xs text-stone-600 dark:text-stone-400">Required in production: the environment does not allow an insecure cookie.</p> : null}
              </PolicyField>
              <PolicyField name="cookieSameSite" htmlFor="cookieSameSite" error={errorOf("cookieSameSite")}>
                <select
                  id="cookieSameSite"
                  value={draft.cookieSameSite === false ? "" : draft.cookieSameSite}
                  aria-invalid={problem === "cookieSameSite" || undefined}
                  aria-describedby={describedBy("cookieSameSite")}
                  onChange={(e) => set("cookieSameSite", e.target.value === "" ? false : (e.target.value as "Lax" | "Strict" | "None"))}
                  className={policyControl}
                >
                  <option value="Lax">Lax</option>
                  <option value="Strict">Strict</option>
                  <option value="None">None</option>
                  <option value="">No attribute</option>
                </select>
              </PolicyField>
            </div>
            <h2 className={groupTitle}>Users</h2>
            <PolicyField name="maxSessionsPerUser" htmlFor="maxSessionsPerUser" error={errorOf("maxSessionsPerUser") ?? view.sessionLimit.reason}>
              <div className="flex items-center gap-2">
                <label className="inline-flex items-center gap-1.5 text-sm">
                  <input
                    type="checkbox"
                    checked={draft.maxSessionsPerUser !== null}
                    onChange={(e) => set("maxSessionsPerUser", e.target.checked ? 5 : null)}
                    aria-label="Sessions per user limit on"
                    aria-describedby="maxSessionsPerUser-help"
                    className="size-4 accent-amber-600"
                  />
                  Limit
                </label>
                <input
                  id="maxSessionsPerUser"
                  type="number"
                  min={1}
                  step={1}
                  disabled={draft.maxSessionsPerUser === null}
                  value={draft.maxSessionsPerUser ?? ""}
                  onChange={(e) => set("maxSessionsPerUser", e.target.value === "" ? null : Math.trunc(Number(e.target.value)))}
                  aria-invalid={problem === "maxSessionsPerUser" || undefined}
                  aria-describedby={describedBy("maxSessionsPerUser")}
                  className={`${policyControl} w-24`}
                />
                <span className="text-xs text-stone-500 dark:text-stone-400">sessions</span>
              </div>
            </PolicyField>
          </div>
        </fieldset>
        <div className="mt-4 flex flex-wrap items-center gap-3">
          {readOnly ? (
            <p className="text-sm text-stone-600 dark:text-stone-400">Only admins can change the policy: you see it read-only.</p>
          ) : (
            <>
              <button type="submit" className={adminButton.primary} disabled={changed.length === 0 || problem !== null || save.isPending || !settled}>
                {save.isPending ? "Saving…" : "Save policy"}
              </button>
              <button type="button" className={adminButton.secondary} disabled={changed.length === 0 || save.isPending} onClick={() => setDraft(view.policy)}>
                Discard changes
              </button>
              <span className="text-xs text-stone-500 tabular-nums dark:text-stone-400" aria-live="polite">
                {changed.length ? `Changed: ${changed.join(", ")}` : "No changes"}
              </span>
            </>
          )}
        </div>
        <p className="mt-3 text-xs text-stone-500 dark:text-stone-400">
          {view.source === "saved" && view.savedAt
            ? `Saved by ${view.savedBy ?? "an admin"} on ${formatDateTime(view.savedAt)} (version ${view.version}).`
            : "The environment's SESSION_* values apply: no admin has saved a policy yet."}
        </p>
      </form>
      <div className="xl:sticky xl:top-4">
        <ImpactPanel
          impact={view.preview.available ? preview.data : { available: false, reason: view.preview.reason ?? "" }}
          error={preview.error}
          fetching={preview.isFetching || candidate !== draft}
          counting={exactFor === candidate && preview.isFetching}
          onCountExactly={candidate === draft ? () => setExactFor(candidate) : undefined}
        />
      </div>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title="Save the new session policy?"
        description={
          <div className="space-y-2">
            <p className="font-medium text-stone-900 dark:text-stone-100">{impact ? impactSummary(impact) : "The impact could not be previewed on this engine."}</p>
            <p>Changes: {changed.join(", ")}. In force from each session&apos;s next request, on every instance within seconds. The change is recorded in the audit log.</p>
          </div>
        }
        confirmLabel="Save policy"
        pending={save.isPending}
        onConfirm={() => save.mutate({ ...draft, version: view.version })}
      />
    </div>
  );
}

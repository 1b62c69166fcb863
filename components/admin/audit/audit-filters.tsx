"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { fromUtcInputValue, toUtcInputValue } from "@/lib/admin-format";
import { AUDIT_ACTION_LABELS, type AuditFilters, auditQueryString, readAuditFilters } from "@/lib/admin-audit";
import { fieldInput, fieldLabel, primaryButton } from "../admin-ui";

/** The filters live in the URL: a link reproduces the view, and Back undoes a filter. */
export function AuditFilterBar({ filters }: { filters: AuditFilters }) {
  const router = useRouter();
  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const field = (name: string) => String(form.get(name) ?? "");
    const next = readAuditFilters({
      actor: field("actor"),
      action: field("action"),
      from: fromUtcInputValue(field("from")) ?? undefined,
      to: fromUtcInputValue(field("to")) ?? undefined,
    });
    router.push(`/admin/audit${auditQueryString(next)}`);
  };
  const filtered = Object.keys(filters).length > 0;
  return (
    // Keyed by the URL, so Back and "Clear filters" reset the fields as well.
    <form key={auditQueryString(filters)} role="search" aria-label="Filter the audit log" onSubmit={apply} className="mt-5 flex flex-wrap items-end gap-3">
      <label className={fieldLabel}>
        Who
        <input name="actor" defaultValue={filters.actor} placeholder="username" className={`${fieldInput} w-40`} />
      </label>
      <label className={fieldLabel}>
        Action
        <select name="action" defaultValue={filters.action ?? ""} onChange={(event) => event.currentTarget.form?.requestSubmit()} className={`${fieldInput} w-56`}>
          <option value="">All actions</option>
          {Object.entries(AUDIT_ACTION_LABELS).map(([action, label]) => (
            <option key={action} value={action}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className={fieldLabel}>
        From (UTC)
        <input type="datetime-local" name="from" defaultValue={toUtcInputValue(filters.from)} className={`${fieldInput} w-52`} />
      </label>
      <label className={fieldLabel}>
        To (UTC)
        <input type="datetime-local" name="to" defaultValue={toUtcInputValue(filters.to)} className={`${fieldInput} w-52`} />
      </label>
      <button type="submit" className={primaryButton}>
        Filter
      </button>
      {filtered ? (
        <Link href="/admin/audit" className="h-9 content-center text-sm font-medium text-amber-800 underline underline-offset-2 dark:text-amber-400">
          Clear filters
        </Link>
      ) : null}
    </form>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useId } from "react";
import { fromUtcInputValue, toUtcInputValue } from "@/lib/admin-format";
import { AUDIT_ACTION_GROUPS, AUDIT_ACTION_LABELS, type AuditFilters, auditQueryString, readAuditFilters } from "@/lib/admin-audit";
import { dateInput, FilterActions, FilterField, filterInput } from "../sessions/filter-field";

/** The filters live in the URL: a link reproduces the view, and Back undoes a filter. The action applies at once. */
export function AuditFilterBar({ filters }: { filters: AuditFilters }) {
  const router = useRouter();
  const id = useId();
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
  return (
    // Keyed by the URL, so Back and "Clear filters" reset the fields as well.
    <form
      key={auditQueryString(filters)}
      role="search"
      aria-label="Filter the audit log"
      onSubmit={apply}
      className="flex flex-wrap items-end gap-3 rounded-lg border border-stone-200 bg-white p-3 shadow-sm dark:border-stone-800 dark:bg-stone-900"
    >
      <FilterField label="Who" htmlFor={`${id}-actor`} className="w-44">
        <input id={`${id}-actor`} name="actor" defaultValue={filters.actor} placeholder="username" autoComplete="off" spellCheck={false} className={filterInput} />
      </FilterField>
      <FilterField label="Action" htmlFor={`${id}-action`} className="w-64">
        <select id={`${id}-action`} name="action" defaultValue={filters.action ?? ""} onChange={(event) => event.currentTarget.form?.requestSubmit()} className={`${filterInput} h-[2.125rem]`}>
          <option value="">All actions</option>
          {Object.entries(AUDIT_ACTION_GROUPS).map(([prefix, label]) => (
            <option key={prefix} value={prefix}>
              {label}
            </option>
          ))}
          <optgroup label="One action">
            {Object.entries(AUDIT_ACTION_LABELS).map(([action, label]) => (
              <option key={action} value={action}>
                {label}
              </option>
            ))}
          </optgroup>
        </select>
      </FilterField>
      <fieldset className="flex w-full min-w-0 items-end gap-1.5 sm:w-auto">
        <legend className="mb-1 text-xs font-medium text-stone-600 dark:text-stone-400">When (UTC)</legend>
        <label htmlFor={`${id}-from`} className="sr-only">From (UTC)</label>
        <input id={`${id}-from`} type="datetime-local" name="from" defaultValue={toUtcInputValue(filters.from)} className={dateInput} />
        <span aria-hidden className="pb-1.5 text-stone-400">–</span>
        <label htmlFor={`${id}-to`} className="sr-only">Until (UTC)</label>
        <input id={`${id}-to`} type="datetime-local" name="to" defaultValue={toUtcInputValue(filters.to)} className={dateInput} />
      </fieldset>
      <FilterActions filtered={Object.keys(filters).length > 0} onClear={() => router.push("/admin/audit")} />
    </form>
  );
}

"use client";

import { Search } from "lucide-react";
import { type FormEvent, useId } from "react";
import { fromUtcInputValue, toUtcInputValue } from "@/lib/admin-format";
import { DEFAULT_STATUS, SESSION_FILTER_KEYS, type SessionQueryKey, type SessionQueryParams } from "@/lib/admin-sessions-query";
import { dateInput, FilterActions, FilterField, filterInput } from "./filter-field";

const ENGINES = ["db", "cache", "cached_db", "file"] as const;
const DEVICE_HINTS = ["desktop", "mobile", "tablet", "bot", "Chrome", "Firefox", "Safari"] as const;
const DATE_KEYS = new Set<SessionQueryKey>(["createdFrom", "createdTo", "activeFrom", "activeTo"]);


/**
 * The filter bar. Its state is the URL: the fields start from the current
 * query, and applying them replaces the URL (selects apply at once, text
 * fields on Enter or "Apply"). Times are read and shown in UTC, as
 * everywhere in the dashboard.
 */
export function SessionFilters({
  query,
  onApply,
  onClear,
  filtered,
}: {
  query: SessionQueryParams;
  onApply: (changes: Partial<Record<SessionQueryKey, string | null>>) => void;
  onClear: () => void;
  filtered: boolean;
}) {
  const id = useId();
  const field = (key: SessionQueryKey) => `${id}-${key}`;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const changes: Partial<Record<SessionQueryKey, string | null>> = {};
    for (const key of SESSION_FILTER_KEYS) {
      const value = String(form.get(key) ?? "").trim();
      changes[key] = DATE_KEYS.has(key) ? fromUtcInputValue(value) : value || null;
    }
    onApply(changes);
  };
  const applyNow = (event: { currentTarget: HTMLSelectElement }) => event.currentTarget.form?.requestSubmit();
  const text = (key: SessionQueryKey, placeholder: string, extra: Record<string, string> = {}) => (
    <input id={field(key)} name={key} type="text" defaultValue={query[key] ?? ""} placeholder={placeholder} autoComplete="off" spellCheck={false} className={filterInput} {...extra} />
  );
  const date = (key: SessionQueryKey) => (
    <input id={field(key)} name={key} type="datetime-local" defaultValue={toUtcInputValue(query[key])} className={dateInput} />
  );

  return (
    <form role="search" aria-label="Filter sessions" onSubmit={submit} className="rounded-lg border border-stone-200 bg-white p-3 shadow-sm dark:border-stone-800 dark:bg-stone-900">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-[minmax(14rem,2fr)_repeat(5,minmax(0,1fr))]">
        <FilterField label="Search" htmlFor={field("q")} className="col-span-2 md:col-span-4 xl:col-span-1">
          <div className="relative">
            <Search aria-hidden className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-stone-400" />
            <input id={field("q")} name="q" type="search" defaultValue={query.q ?? ""} placeholder="User name or session id" autoComplete="off" spellCheck={false} className={`${filterInput} pl-8`} />
          </div>
        </FilterField>
        <FilterField label="Status" htmlFor={field("status")}>
          <select id={field("status")} name="status" defaultValue={query.status ?? DEFAULT_STATUS} onChange={applyNow} className={filterInput}>
            <option value="active">Active</option>
            <option value="expired">Expired</option>
            <option value="all">All</option>
          </select>
        </FilterField>
        <FilterField label="User" htmlFor={field("user")}>{text("user", "name or id", { title: "A user name, a user id, or anonymous for sessions without a user" })}</FilterField>
        <FilterField label="IP address" htmlFor={field("ip")}>{text("ip", "exact or prefix", { title: "An exact address, or a prefix ending in . or : such as 10.0. or 2001:db8:" })}</FilterField>
        <FilterField label="Device" htmlFor={field("device")}>
          {text("device", "e.g. mobile", { list: `${id}-devices` })}
          <datalist id={`${id}-devices`}>
            {DEVICE_HINTS.map((hint) => <option key={hint} value={hint} />)}
          </datalist>
        </FilterField>
        <FilterField label="Engine" htmlFor={field("engine")}>
          <select id={field("engine")} name="engine" defaultValue={query.engine ?? ""} onChange={applyNow} className={filterInput}>
            <option value="">Any engine</option>
            {ENGINES.map((engine) => <option key={engine} value={engine}>{engine}</option>)}
          </select>
        </FilterField>
      </div>
      <div className="mt-3 flex flex-wrap items-end gap-3">
        <fieldset className="flex w-full min-w-0 items-end gap-1.5 sm:w-auto">
          <legend className="mb-1 text-xs font-medium text-stone-600 dark:text-stone-400">Created (UTC)</legend>
          <label htmlFor={field("createdFrom")} className="sr-only">Created from (UTC)</label>
          {date("createdFrom")}
          <span aria-hidden className="pb-1.5 text-stone-400">–</span>
          <label htmlFor={field("createdTo")} className="sr-only">Created until (UTC)</label>
          {date("createdTo")}
        </fieldset>
        <fieldset className="flex w-full min-w-0 items-end gap-1.5 sm:w-auto">
          <legend className="mb-1 text-xs font-medium text-stone-600 dark:text-stone-400">Last active (UTC)</legend>
          <label htmlFor={field("activeFrom")} className="sr-only">Last active from (UTC)</label>
          {date("activeFrom")}
          <span aria-hidden className="pb-1.5 text-stone-400">–</span>
          <label htmlFor={field("activeTo")} className="sr-only">Last active until (UTC)</label>
          {date("activeTo")}
        </fieldset>
        <FilterField label="Anomalies" htmlFor={field("flagged")}>
          <select id={field("flagged")} name="flagged" defaultValue={query.flagged ?? ""} onChange={applyNow} className={filterInput}>
            <option value="">Any session</option>
            <option value="1">Only flagged: IP or device changed</option>
          </select>
        </FilterField>
        <FilterActions filtered={filtered} onClear={onClear} />
      </div>
    </form>
  );
}

"use client";

import { Search } from "lucide-react";
import { useRouter } from "next/navigation";
import { type FormEvent, useId } from "react";
import { FilterActions, FilterField, filterInput } from "../sessions/filter-field";

/** Finds users by the start of their username; the search lives in the URL. */
export function UserSearch({ q }: { q: string }) {
  const router = useRouter();
  const id = useId();
  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get("q") ?? "").trim();
    router.push(value ? `/admin/users?q=${encodeURIComponent(value)}` : "/admin/users");
  };
  return (
    <form
      key={q}
      role="search"
      aria-label="Find users"
      onSubmit={search}
      className="flex flex-wrap items-end gap-3 rounded-lg border border-stone-200 bg-white p-3 shadow-sm dark:border-stone-800 dark:bg-stone-900"
    >
      <FilterField label="Username starts with" htmlFor={`${id}-q`} className="w-64">
        <div className="relative">
          <Search aria-hidden className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-stone-400" />
          <input id={`${id}-q`} name="q" type="search" defaultValue={q} placeholder="e.g. ali" autoComplete="off" spellCheck={false} className={`${filterInput} pl-8`} />
        </div>
      </FilterField>
      <FilterActions filtered={q !== ""} onClear={() => router.push("/admin/users")} />
    </form>
  );
}

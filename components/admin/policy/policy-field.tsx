import type { ReactNode } from "react";
import type { PolicySettings } from "@/lib/admin-api";
import { FIELD_TEXT } from "./policy-fields";

/** One setting's row: its label with the Django setting's name small beside it, the control, its help and any error. */
export function PolicyField({ name, htmlFor, error, children }: { name: keyof PolicySettings; htmlFor?: string; error?: string | null; children: ReactNode }) {
  const text = FIELD_TEXT[name];
  const Label = htmlFor ? "label" : "span";
  return (
    <div className="grid gap-1.5 py-3.5 sm:grid-cols-[13rem_minmax(0,1fr)] sm:gap-4">
      <div>
        <Label {...(htmlFor && { htmlFor })} id={`${name}-label`} className="text-sm font-medium text-stone-900 dark:text-stone-100">
          {text.label}
        </Label>
        <p className="font-mono text-[11px] tracking-tight text-stone-500 dark:text-stone-400">{text.setting}</p>
      </div>
      <div className="min-w-0">
        {children}
        <p id={`${name}-help`} className="mt-1 text-xs text-stone-500 dark:text-stone-400">
          {text.help}
        </p>
        {error ? (
          <p id={`${name}-error`} role="alert" className="mt-1 text-xs font-medium text-red-700 dark:text-red-400">
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}

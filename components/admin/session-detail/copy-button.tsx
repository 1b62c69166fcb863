"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";

/** Copies a value to the clipboard and says so (in words for screen readers too). */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setCopied(false);
    }
  };
  return (
    <button
      type="button"
      onClick={() => void copy()}
      aria-label={copied ? "Copied" : label}
      title={label}
      className="inline-flex size-6 items-center justify-center rounded text-stone-500 hover:bg-stone-200/70 hover:text-stone-900 focus-visible:outline-2 focus-visible:outline-amber-600 dark:text-stone-400 dark:hover:bg-stone-800 dark:hover:text-stone-100"
    >
      {copied ? <Check aria-hidden className="size-3.5 text-emerald-600" /> : <Copy aria-hidden className="size-3.5" />}
      <span aria-live="polite" className="sr-only">{copied ? "Copied" : ""}</span>
    </button>
  );
}

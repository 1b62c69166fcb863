import { ShieldAlert, ShieldCheck, ShieldQuestion, ShieldX, type LucideIcon } from "lucide-react";
import type { SignatureStatus } from "@/lib/admin-api";

const STATES: Record<SignatureStatus["state"], { icon: LucideIcon; label: string; hint: string; className: string }> = {
  valid: {
    icon: ShieldCheck,
    label: "valid signature",
    hint: "Signed with the current secret key.",
    className: "bg-emerald-50 text-emerald-800 ring-emerald-600/20 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-400/20",
  },
  valid_fallback_key: {
    icon: ShieldAlert,
    label: "valid under a fallback key",
    hint: "Signed with a key from SESSION_SECRET_KEY_FALLBACKS: re-signed with the current key on its next save.",
    className: "bg-amber-50 text-amber-900 ring-amber-600/25 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-400/20",
  },
  legacy_format: {
    icon: ShieldQuestion,
    label: "legacy format",
    hint: "Written in the format of Django before 3.1 (base64 of hash and data): still accepted, rewritten on its next save.",
    className: "bg-sky-50 text-sky-900 ring-sky-600/20 dark:bg-sky-500/10 dark:text-sky-300 dark:ring-sky-400/20",
  },
  unsigned_cache_entry: {
    icon: ShieldQuestion,
    label: "unsigned cache entry",
    hint: "The cache engine stores the data as a pickle without a signature, as Django does: only the server can write it.",
    className: "bg-stone-100 text-stone-700 ring-stone-500/20 dark:bg-stone-800 dark:text-stone-300 dark:ring-stone-400/20",
  },
  invalid: {
    icon: ShieldX,
    label: "invalid",
    hint: "The signature does not match any configured key: the framework treats this session as empty.",
    className: "bg-red-50 text-red-800 ring-red-600/20 dark:bg-red-500/10 dark:text-red-300 dark:ring-red-400/25",
  },
};

/** The stored value's signature, in colour and words, with the reason when it is invalid. */
export function SignatureBadge({ signature }: { signature: SignatureStatus }) {
  const state = STATES[signature.state];
  const Icon = state.icon;
  return (
    <div className="flex flex-col items-start gap-1">
      <span className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${state.className}`}>
        <Icon aria-hidden className="size-3.5" />
        {signature.state === "invalid" ? `invalid: ${signature.reason}` : state.label}
      </span>
      <span className="text-xs text-stone-500 dark:text-stone-400">{state.hint}</span>
    </div>
  );
}

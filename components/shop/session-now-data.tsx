import type { SessionEntryView } from "@/lib/server/shop/session-view";

/** The decoded session data, key by key, with what the framework's and the shop's own keys are for. */
export function SessionNowData({ entries }: { entries: readonly SessionEntryView[] }) {
  return (
    <details open className="group mt-4 border-t border-stone-200 pt-3">
      <summary className="cursor-pointer font-medium text-stone-900 marker:text-stone-400 focus-visible:outline-2 focus-visible:outline-amber-600">
        Decoded data <span className="font-normal text-stone-500 tabular-nums">({entries.length} {entries.length === 1 ? "key" : "keys"})</span>
      </summary>
      {entries.length === 0 ? (
        <p className="mt-2 text-stone-600">Empty: the session exists but holds nothing.</p>
      ) : (
        <dl className="mt-2 divide-y divide-stone-100">
          {entries.map((entry) => (
            <div key={entry.key} className="grid gap-x-4 gap-y-1 py-2 sm:grid-cols-[12rem_minmax(0,1fr)]">
              <dt className="min-w-0">
                <code className="font-semibold break-all text-stone-900">{entry.key}</code>
              </dt>
              <dd className="min-w-0">
                <pre className="max-h-40 overflow-auto rounded bg-stone-50 px-2 py-1 font-mono text-xs text-stone-800">{entry.json}</pre>
                {entry.note ? <p className="mt-1 text-xs text-stone-600">{entry.note}</p> : null}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </details>
  );
}

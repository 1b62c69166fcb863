/**
 * What one request did to its session, replayed onto fresher data when the
 * compare-and-swap save finds that another request saved first.
 */

export type Change =
  | { readonly kind: "set"; readonly key: string; readonly value: unknown }
  | { readonly kind: "setDefault"; readonly key: string; readonly value: unknown }
  | { readonly kind: "delete"; readonly key: string }
  | { readonly kind: "clear" }
  | { readonly kind: "modify"; readonly key: string; readonly updater: (current: unknown) => unknown };

/** Applies one change; `modify` runs its updater on the value currently in `data`. */
export function applyChange(data: Map<string, unknown>, change: Change): void {
  switch (change.kind) {
    case "set":
      data.set(change.key, change.value);
      return;
    case "setDefault":
      if (!data.has(change.key)) data.set(change.key, change.value);
      return;
    case "delete":
      data.delete(change.key);
      return;
    case "clear":
      data.clear();
      return;
    case "modify": {
      // An updater that returns undefined removes the key.
      const next = change.updater(data.get(change.key));
      if (next === undefined) data.delete(change.key);
      else data.set(change.key, next);
      return;
    }
  }
}

/**
 * Per-key last-writer-wins merge: keys this request did not touch keep the
 * other request's values; `modify` re-reads the fresh value, so increments add up.
 */
export function replayChanges(fresh: Map<string, unknown>, log: readonly Change[]): Map<string, unknown> {
  for (const change of log) applyChange(fresh, change);
  return fresh;
}

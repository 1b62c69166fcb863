import type { ReactNode } from "react";

/** The teaching panel each shop page carries: what the session just did. */
export function HowItWorks({ children }: { children: ReactNode }) {
  return (
    <aside aria-label="How this works" className="mt-10 rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-950">
      <h2 className="mb-1 font-semibold">How this works</h2>
      <div className="space-y-2">{children}</div>
    </aside>
  );
}

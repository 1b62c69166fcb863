import { ChevronRight, ChevronsLeft } from "lucide-react";
import { adminButton } from "./admin-buttons";

/** Cursor paging: back to the first page, or on to the next; never "page 7 of ?". */
export function Pager({ onFirst, onNext, atFirst, hasNext }: { onFirst: () => void; onNext: () => void; atFirst: boolean; hasNext: boolean }) {
  if (atFirst && !hasNext) return null;
  return (
    <nav aria-label="Pages" className="flex justify-end gap-2">
      <button type="button" onClick={onFirst} disabled={atFirst} className={adminButton.secondary}>
        <ChevronsLeft aria-hidden className="size-4" /> First page
      </button>
      <button type="button" onClick={onNext} disabled={!hasNext} className={adminButton.secondary}>
        Next page <ChevronRight aria-hidden className="size-4" />
      </button>
    </nav>
  );
}

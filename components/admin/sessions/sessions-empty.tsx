import { Inbox, SearchX } from "lucide-react";
import { adminButton } from "./admin-buttons";
import { StatePanel } from "./state-panel";

/** No rows: either nothing matches the filters (offer to clear them) or the store holds no session of this status. */
export function SessionsEmpty({ filtered, status, onClear }: { filtered: boolean; status: string; onClear: () => void }) {
  if (filtered) {
    return (
      <StatePanel
        icon={SearchX}
        title="No session matches these filters"
        actions={
          <button type="button" onClick={onClear} className={adminButton.secondary}>
            Clear filters
          </button>
        }
      >
        Widen the search, or clear the filters to see every session.
      </StatePanel>
    );
  }
  return (
    <StatePanel icon={Inbox} title={status === "expired" ? "No expired sessions" : "No sessions yet"}>
      {status === "expired"
        ? "Every stored session is still live, or the cleanup has already removed the expired ones."
        : "A session appears here as soon as someone visits the shop or logs in."}
    </StatePanel>
  );
}

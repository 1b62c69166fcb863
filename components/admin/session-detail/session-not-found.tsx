import { ArrowLeft, FileQuestion } from "lucide-react";
import Link from "next/link";
import { adminButton } from "../sessions/admin-buttons";
import { StatePanel } from "../sessions/state-panel";

export function SessionNotFound() {
  return (
    <StatePanel
      icon={FileQuestion}
      title="This session does not exist or has ended"
      heading="h1"
      actions={
        <Link href="/admin/sessions" className={adminButton.secondary}>
          <ArrowLeft aria-hidden className="size-4" /> Back to sessions
        </Link>
      }
    >
      It may have been ended from the dashboard, logged out, or removed by the cleanup after it expired. Ended sessions are kept only in the audit log.
    </StatePanel>
  );
}

"use client";

import { Trash2, UserX } from "lucide-react";
import type { AdminSessionDetail } from "@/lib/admin-api";
import { formatCount, formatNumber } from "@/lib/admin-format";
import { KillDialog } from "../kill-dialog";
import { adminButton } from "../sessions/admin-buttons";
import { useUserSessionCount } from "./use-session-detail";

/** "End this session" and "End all N sessions of alice", each behind a dialog that names the count. */
export function DetailActions({ session, onKillOne, onKillUser }: { session: AdminSessionDetail; onKillOne: () => void; onKillUser: (userId: number) => void }) {
  const userSessions = useUserSessionCount(session.userId, session.user !== null);
  const owner = session.user;
  const total = userSessions.data?.total ?? 0;
  const sessions = userSessions.data?.atLeast ? `${formatNumber(total)}+ sessions` : formatCount(total, "session");
  // The count is of live sessions: offer the second button only when it ends more than this one.
  const others = total - (session.status === "active" ? 1 : 0);
  return (
    <>
      <KillDialog
        title={owner ? `End this session of ${owner.username}?` : "End this anonymous session?"}
        confirmLabel="End this session"
        onConfirm={onKillOne}
        trigger={
          <button type="button" className={adminButton.danger}>
            <Trash2 aria-hidden className="size-4" /> End this session
          </button>
        }
      />
      {owner && others > 0 ? (
        <KillDialog
          title={`End ${sessions} of ${owner.username}?`}
          confirmLabel={`End ${sessions}`}
          onConfirm={() => onKillUser(owner.id)}
          trigger={
            <button type="button" className={adminButton.dangerOutline}>
              <UserX aria-hidden className="size-4" /> End all {sessions} of {owner.username}
            </button>
          }
        >
          <p>Every browser where {owner.username} is signed in is signed out, this one included.</p>
        </KillDialog>
      ) : null}
    </>
  );
}

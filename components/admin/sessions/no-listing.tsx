import { Cookie, FolderClosed, ServerOff, type LucideIcon } from "lucide-react";
import type { ReactNode } from "react";
import { StatePanel } from "./state-panel";

/** The engine and, for the cache engines, where they keep their entries. */
export interface SessionSetup {
  readonly engine: string;
  readonly cacheBackend: "redis" | "memcached" | null;
}

interface Explanation {
  readonly icon: LucideIcon;
  readonly title: string;
  /** What cannot be shown, and why. */
  readonly why: ReactNode;
  /** What can still be done. */
  readonly still: ReactNode;
  /** Where the docs say more. */
  readonly more: string;
}

function explain({ engine, cacheBackend }: SessionSetup): Explanation {
  if (engine === "cache" && cacheBackend === "memcached") {
    return {
      icon: ServerOff,
      title: "Memcached cannot list its sessions",
      why: (
        <>
          The <code>cache</code> engine keeps each session in Memcached under Django&apos;s key, and Memcached has no command that lists its keys. The dashboard
          cannot show, count or search these sessions, nor end them by user or by time.
        </>
      ),
      still: (
        <>
          To have them listed, run <code>SESSION_ENGINE=cached_db</code>: the same Memcached in front, and the database keeps the list this page shows.
          Meanwhile a session ends when its visitor logs out, when it expires, or when Memcached restarts (it keeps nothing on disk).
        </>
      ),
      more: "docs/engines.md, “cache and cached_db on Memcached”",
    };
  }
  if (engine === "file") {
    return {
      icon: FolderClosed,
      title: "A folder of session files has no index",
      why: (
        <>
          The <code>file</code> engine keeps one file per session in <code>SESSION_FILE_PATH</code>. Listing them would mean opening every file, so the
          dashboard shows none and cannot end them by user or by time.
        </>
      ),
      still: (
        <>
          Deleting a session&apos;s file ends that session; <code>sessionscope clearsessions</code> removes the expired ones.
        </>
      ),
      more: "docs/engines.md, “file”",
    };
  }
  return {
    icon: Cookie,
    title: "Sessions live in browsers, not on the server",
    why: (
      <>
        With <code>signed_cookies</code>, each session is its visitor&apos;s cookie, signed with the secret key. The server keeps no copy, so there is
        nothing to list, count or end one by one.
      </>
    ),
    still: (
      <>
        To end every session at once, rotate <code>SESSION_SECRET_KEY</code> without keeping the old key in <code>SESSION_SECRET_KEY_FALLBACKS</code>.
      </>
    ),
    more: "docs/security.md, “What signed cookies cannot do”",
  };
}

/**
 * The sessions page where nothing lists the sessions (signed cookies, the file engine, the cache
 * engine on Memcached): what cannot be shown and why, what can still be done, and where to read more.
 * Logins, logouts and kills still reach the overview and the audit log.
 */
export function NoListing({ setup }: { setup: SessionSetup }) {
  const { icon, title, why, still, more } = explain(setup);
  return (
    <StatePanel icon={icon} title={title}>
      <p>{why}</p>
      <p className="mt-2">{still}</p>
      <p className="mt-2">
        Logins, logouts and kills are still counted on the overview and recorded in the audit log. More in {more}.
      </p>
    </StatePanel>
  );
}

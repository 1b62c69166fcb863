import { Cookie } from "lucide-react";
import { StatePanel } from "./state-panel";

/** The signed-cookies engine keeps nothing on the server, so there is nothing to list or kill here. */
export function NoListing() {
  return (
    <StatePanel icon={Cookie} title="This engine keeps sessions only in browsers">
      <p>
        With <code>signed_cookies</code>, each session lives entirely in its visitor&apos;s cookie, signed with the secret key. The server keeps no
        list, so the dashboard cannot show or end individual sessions.
      </p>
      <p className="mt-2">
        To end every session at once, rotate <code>SESSION_SECRET_KEY</code> without keeping the old key in <code>SESSION_SECRET_KEY_FALLBACKS</code>.
      </p>
    </StatePanel>
  );
}

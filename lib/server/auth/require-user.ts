import "server-only";
import { redirect } from "next/navigation";
import { getCurrentUser, type CurrentUser } from "@/lib/server/auth/auth";
import { readSession } from "@/lib/server/session/next";

/**
 * For pages that need a login: the user and the (read-only) session, or a
 * redirect to /login?next=<path>. getCurrentUser also checks _auth_user_hash,
 * so a session whose password changed elsewhere lands here too.
 */
export async function requireUserOrRedirect(path: string) {
  const { session } = await readSession();
  const user: CurrentUser | null = await getCurrentUser(session, { readOnly: true });
  if (!user) redirect(`/login?next=${encodeURIComponent(path)}`);
  return { session, user };
}

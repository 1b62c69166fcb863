import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { HowItWorks } from "@/components/shop/how-it-works";
import { requireUserOrRedirect } from "@/lib/server/auth/require-user";
import { SessionsTable } from "@/components/shop/sessions-table";
import { listMySessions } from "@/lib/server/account/sessions";
import { getQueryClient } from "@/lib/query-client";
import { queryKeys } from "@/lib/query-keys";

export const metadata: Metadata = { title: "Your account" };
export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const { session, user } = await requireUserOrRedirect("/account");
  const queryClient = getQueryClient();
  await queryClient.prefetchQuery({ queryKey: queryKeys.account.sessions, queryFn: () => listMySessions(session, user) });
  return (
    <>
      <div className="mb-6 flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">Your sessions</h1>
        <Link href="/account/password" className="text-sm underline">Change your password</Link>
      </div>
      <p className="mb-4 text-sm text-stone-600">
        Signed in as <strong>{user.username}</strong>. Every browser where you are logged in is listed here.
      </p>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <SessionsTable />
      </HydrationBoundary>
      <HowItWorks>
        <p>
          Each row is a session row in the store (found through its <code>_auth_user_id</code>). You see an opaque id,
          never the key: the key is a bearer credential, and anyone holding it is you.
        </p>
        <p>
          <strong>Sign out</strong> deletes that row, so the other browser&apos;s next request finds no session and
          starts a fresh, anonymous one. Signing out this session is a logout. <strong>Sign out all other
          sessions</strong> deletes every row of yours except the current one.
        </p>
      </HowItWorks>
    </>
  );
}

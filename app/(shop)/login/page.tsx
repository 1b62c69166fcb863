import type { Metadata } from "next";
import { headers } from "next/headers";
import { HowItWorks } from "@/components/shop/how-it-works";
import { LoginForm } from "@/components/shop/login-form";
import { safeNextPath } from "@/components/shop/safe-next-path";
import { getCurrentUser } from "@/lib/server/auth/auth";
import { DEMO_ACCOUNTS, demoPassword } from "@/lib/node/db/catalogue";
import { getEnv } from "@/lib/node/env";
import { readSession } from "@/lib/server/session/next";

export const metadata: Metadata = { title: "Log in" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ next?: string | string[] }> };

export default async function LoginPage({ searchParams }: Props) {
  const next = safeNextPath((await searchParams).next, await requestOrigin());
  const user = await getCurrentUser((await readSession()).session, { readOnly: true });
  const showDemo = !getEnv().production;
  return (
    <>
      <div className="grid gap-8 md:grid-cols-2">
        <section aria-labelledby="login-heading" className="rounded-lg border border-stone-200 bg-white p-6 shadow-sm">
          <h1 id="login-heading" className="mb-4 text-2xl font-semibold">Log in</h1>
          {user ? (
            <p className="mb-4 rounded-md bg-stone-100 px-3 py-2 text-sm text-stone-700">
              You are logged in as <strong>{user.username}</strong>. Logging in as someone else flushes this session first.
            </p>
          ) : null}
          <LoginForm next={next} />
        </section>
        {showDemo ? (
          <section aria-labelledby="demo-heading" className="rounded-lg border border-stone-200 bg-white p-6 text-sm shadow-sm">
            <h2 id="demo-heading" className="mb-3 text-lg font-semibold">Demo accounts</h2>
            <table className="w-full text-left">
              <thead className="text-stone-600">
                <tr>
                  <th scope="col" className="py-1 font-medium">Username</th>
                  <th scope="col" className="py-1 font-medium">Password</th>
                  <th scope="col" className="py-1 font-medium">Role</th>
                </tr>
              </thead>
              <tbody>
                {DEMO_ACCOUNTS.map((account) => (
                  <tr key={account.username} className="border-t border-stone-100">
                    <td className="py-1 font-mono">{account.username}</td>
                    <td className="py-1 font-mono">{demoPassword(account.username)}</td>
                    <td className="py-1">{account.role ?? "customer"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}
      </div>
      <HowItWorks>
        <p>
          Logging in rotates your session key (<code>cycle_key</code>) and keeps your anonymous cart: the data moves to a
          new key and the old row is deleted, so a key planted in your browser beforehand (session fixation) is worthless.
          The session now holds <code>_auth_user_id</code>, <code>_auth_user_backend</code> and{" "}
          <code>_auth_user_hash</code>, exactly as Django stores them.
        </p>
        <p>
          <code>_auth_user_hash</code> is an HMAC of your password hash: change the password and every other session
          fails this check on its next request. Failed attempts are counted per account and per IP address; too many and
          the API answers 429 with <code>Retry-After</code>.
        </p>
      </HowItWorks>
    </>
  );
}

/** This site's origin as the browser sees it (X-Forwarded-* are only kept from a trusted proxy). */
async function requestOrigin(): Promise<string> {
  const request = await headers();
  const host = request.get("x-forwarded-host") ?? request.get("host") ?? "localhost";
  const scheme = request.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https" ? "https" : "http";
  return `${scheme}://${host}`;
}

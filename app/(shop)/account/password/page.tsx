import type { Metadata } from "next";
import Link from "next/link";
import { HowItWorks } from "@/components/shop/how-it-works";
import { PasswordForm } from "@/components/shop/password-form";
import { requireUserOrRedirect } from "@/lib/server/auth/require-user";

export const metadata: Metadata = { title: "Change password" };
export const dynamic = "force-dynamic";

export default async function PasswordPage() {
  const { user } = await requireUserOrRedirect("/account/password");
  return (
    <>
      <p className="mb-4 text-sm">
        <Link href="/account" className="text-stone-600 underline hover:text-stone-900">← Your sessions</Link>
      </p>
      <h1 className="mb-2 text-2xl font-semibold">Change password</h1>
      <p className="mb-6 text-sm text-stone-600">For <strong>{user.username}</strong>.</p>
      <PasswordForm />
      <HowItWorks>
        <p>
          This is Django&apos;s <code>update_session_auth_hash</code>: this session got a new key (<code>cycle_key</code>)
          and a new <code>_auth_user_hash</code>, computed from the new password hash, so you stay logged in here.
        </p>
        <p>
          Your other sessions still hold the old hash. Nothing is deleted now: each one fails its hash check on its next
          request, is flushed, and that browser is logged out.
        </p>
      </HowItWorks>
    </>
  );
}

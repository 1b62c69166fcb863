"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect } from "react";

/**
 * Signed-out visitors of /admin are sent to the login page, which brings them
 * back here afterwards: to the same view, filters included (they live in the URL).
 */
export function SignInRedirect() {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const router = useRouter();
  const back = `${pathname || "/admin"}${search ? `?${search}` : ""}`;
  const href = `/login?next=${encodeURIComponent(back)}`;
  useEffect(() => router.replace(href), [router, href]);
  return (
    <p className="mx-auto mt-16 max-w-md text-center text-sm text-stone-600 dark:text-stone-400">
      The dashboard needs a signed-in account with a role. <Link href={href} className="underline">Log in</Link>
    </p>
  );
}

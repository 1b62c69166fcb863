import Link from "next/link";
import { getCurrentUser } from "@/lib/server/auth/auth";
import { readSession } from "@/lib/server/session/next";
import { cartItemCount } from "@/lib/server/shop/cart";
import { shopInstalled } from "@/lib/server/shop/installed";
import { LogoutButton } from "./logout-button";

/**
 * Rendered on the server for every page: it reads the session (read-only; a
 * server component cannot set cookies) to show who is logged in and how many
 * items the cart holds.
 */
export async function SiteHeader() {
  const { session } = await readSession();
  const user = await getCurrentUser(session, { readOnly: true });
  const count = cartItemCount(session);
  const shop = shopInstalled();
  return (
    <header className="border-b border-stone-200 bg-white">
      <div className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-4 py-3">
        <Link href="/" className="text-lg font-semibold tracking-tight">
          SessionScope <span className="text-amber-700">Shop</span>
        </Link>
        <nav aria-label="Main" className="flex items-center gap-4 text-sm text-stone-600">
          {shop ? (
            <>
              <Link href="/" className="hover:text-stone-900">
                Catalogue
              </Link>
              <Link href="/cart" className="flex items-center gap-1 hover:text-stone-900" aria-label={`Cart, ${count} item${count === 1 ? "" : "s"}`}>
                Cart
                <span data-testid="cart-count" className="min-w-6 rounded-full bg-amber-100 px-2 py-0.5 text-center text-xs font-semibold text-amber-900">
                  {count}
                </span>
              </Link>
            </>
          ) : user?.role ? (
            <Link href="/admin" className="hover:text-stone-900">
              Dashboard
            </Link>
          ) : null}
          {user ? (
            <>
              <span className="text-stone-800">Hi, {user.firstName || user.username}</span>
              <Link href="/account" className="hover:text-stone-900">
                Account
              </Link>
              <LogoutButton />
            </>
          ) : (
            <Link href="/login" className="hover:text-stone-900">
              Log in
            </Link>
          )}
        </nav>
      </div>
    </header>
  );
}

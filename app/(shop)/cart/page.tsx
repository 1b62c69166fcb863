import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CartTable } from "@/components/shop/cart-table";
import { CheckoutButton } from "@/components/shop/checkout-button";
import { HowItWorks } from "@/components/shop/how-it-works";
import { readSession } from "@/lib/server/session/next";
import { readCart } from "@/lib/server/shop/cart";
import { shopInstalled } from "@/lib/server/shop/installed";

export const metadata: Metadata = { title: "Cart" };
export const dynamic = "force-dynamic";

export default async function CartPage() {
  if (!shopInstalled()) notFound();
  const { session } = await readSession();
  const cart = await readCart(session);
  return (
    <>
      <h1 className="mb-6 text-2xl font-semibold">Your cart</h1>
      {cart.items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-stone-300 bg-white p-6 text-stone-600">
          Your cart is empty. <Link href="/" className="underline">Browse the catalogue</Link>.
        </p>
      ) : (
        <div className="flex flex-col gap-4">
          <CartTable cart={cart} />
          <CheckoutButton />
        </div>
      )}
      <HowItWorks>
        <p>
          Your cart lives in the session under <code>&apos;cart&apos;</code> as plain JSON a Django view could read:{" "}
          <code>{"{\"items\": [{\"productId\": 1, \"quantity\": 2}]}"}</code>. No login needed: an anonymous session is
          a session like any other. This page only read it (server components cannot set cookies).
        </p>
        <p>
          Each add or remove is an atomic <code>session.modify()</code>: a read-modify-write that is replayed on the
          fresh cart if another tab saved the session first, so simultaneous clicks never lose an item.
        </p>
        <p>
          Checking out records the order, pops <code>&apos;cart&apos;</code> and adds a flash message to the session
          (like <code>django.contrib.messages</code>); the next page shows it once.
        </p>
      </HowItWorks>
    </>
  );
}

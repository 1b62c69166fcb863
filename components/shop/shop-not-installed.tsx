import Link from "next/link";
import { SHOP_NOT_INSTALLED_MESSAGE } from "@/lib/server/shop/installed";

/** What the catalogue, product and cart pages show on a Django site's database without the shop's tables. */
export function ShopNotInstalled() {
  return (
    <div className="py-16 text-center" data-testid="shop-not-installed">
      <h1 className="text-2xl font-semibold">No shop here</h1>
      <p className="mx-auto mt-2 max-w-xl text-stone-600">{SHOP_NOT_INSTALLED_MESSAGE}</p>
      <p className="mt-4 text-stone-600">
        <Link href="/login" className="underline">Log in</Link> · <Link href="/account" className="underline">Your sessions</Link> ·{" "}
        <Link href="/admin" className="underline">Dashboard</Link>
      </p>
    </div>
  );
}

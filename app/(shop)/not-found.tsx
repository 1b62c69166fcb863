import Link from "next/link";
import { HowItWorks } from "@/components/shop/how-it-works";
import { ShopNotInstalled } from "@/components/shop/shop-not-installed";
import { shopInstalled } from "@/lib/server/shop/installed";

/** The shop's 404: a missing product, or (attach mode without SESSIONSCOPE_ATTACH_SHOP) no shop at all. */
export default function ShopNotFound() {
  if (!shopInstalled()) return <ShopNotInstalled />;
  return (
    <>
      <div className="py-16 text-center">
        <h1 className="text-2xl font-semibold">Page not found</h1>
        <p className="mt-2 text-stone-600">
          <Link href="/" className="underline">Back to the catalogue</Link>
        </p>
      </div>
      <HowItWorks>
        <p>Nothing happened to your session here: a missing page only reads it to draw the header, and stores nothing.</p>
      </HowItWorks>
    </>
  );
}

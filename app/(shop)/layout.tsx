import type { ReactNode } from "react";
import { FlashArea } from "@/components/shop/flash-area";
import { SiteHeader } from "@/components/shop/site-header";

/** The shop's frame: its header (who is logged in, the cart) and flash messages above every page. */
export default function ShopLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <SiteHeader />
      <main className="mx-auto max-w-5xl px-4 py-8">
        <FlashArea />
        {children}
      </main>
    </>
  );
}

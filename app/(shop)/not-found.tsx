import { PageNotFound } from "@/components/shop/page-not-found";
import { ShopNotInstalled } from "@/components/shop/shop-not-installed";
import { shopInstalled } from "@/lib/server/shop/installed";

/** The shop's 404: a missing product, or (attach mode without SESSIONSCOPE_ATTACH_SHOP) no shop at all. */
export default function ShopNotFound() {
  return shopInstalled() ? <PageNotFound /> : <ShopNotInstalled />;
}

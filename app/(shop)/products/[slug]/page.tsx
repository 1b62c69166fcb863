import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AddToCartForm } from "@/components/shop/add-to-cart-form";
import { HowItWorks } from "@/components/shop/how-it-works";
import { MAX_LINE_QUANTITY } from "@/lib/cart-limits";
import { formatPrice } from "@/lib/format";
import { shopInstalled } from "@/lib/server/shop/installed";
import { findProductBySlug } from "@/lib/server/shop/products";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  if (!shopInstalled()) return { title: "No shop here" };
  const product = await findProductBySlug((await params).slug);
  return { title: product?.name ?? "Product not found" };
}

export default async function ProductPage({ params }: Props) {
  if (!shopInstalled()) notFound();
  const product = await findProductBySlug((await params).slug);
  if (!product) notFound();
  return (
    <>
      <p className="mb-4 text-sm">
        <Link href="/" className="text-stone-600 underline hover:text-stone-900">
          ← Catalogue
        </Link>
      </p>
      <article aria-labelledby="product-name" className="grid gap-6 rounded-lg border border-stone-200 bg-white p-6 shadow-sm sm:grid-cols-2">
        <div
          aria-hidden
          className="h-48 rounded-md"
          style={{ background: `linear-gradient(135deg, hsl(${product.imageHue} 70% 80%), hsl(${product.imageHue} 60% 60%))` }}
        />
        <div className="flex flex-col gap-3">
          <h1 id="product-name" className="text-2xl font-semibold">
            {product.name}
          </h1>
          <p className="text-stone-600">{product.description}</p>
          <p className="text-xl font-semibold" data-testid="price">
            {formatPrice(product.priceCents)}
          </p>
          <AddToCartForm productId={product.id} />
        </div>
      </article>
      <HowItWorks>
        <p>
          Adding runs a server action with <code>{`{ productId: ${product.id}, quantity }`}</code>: the same checks and cart
          code as <code>POST /api/cart/items</code>, and the form works even before (or without) JavaScript. It stores
          only ids and quantities in the session under <code>&apos;cart&apos;</code>; names and prices come from the
          database each time the cart is shown, so a price change never leaves a stale copy in a session.
        </p>
        <p>
          The change is an atomic <code>session.modify()</code>: if another tab saved the session meanwhile, the update
          is replayed on the fresh cart instead of overwriting it. More than {MAX_LINE_QUANTITY} of one product is refused.
        </p>
      </HowItWorks>
    </>
  );
}

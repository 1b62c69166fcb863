import Link from "next/link";
import type { ProductDto } from "@/lib/server/shop/products";
import { formatPrice } from "@/lib/format";
import { AddToCartButton } from "./add-to-cart-button";

export function ProductCard({ product }: { product: ProductDto }) {
  return (
    <article aria-label={product.name} className="flex flex-col overflow-hidden rounded-lg border border-stone-200 bg-white shadow-sm">
      <div
        aria-hidden
        className="h-28"
        style={{ background: `linear-gradient(135deg, hsl(${product.imageHue} 70% 80%), hsl(${product.imageHue} 60% 60%))` }}
      />
      <div className="flex flex-1 flex-col gap-2 p-4">
        <h2 className="font-medium">
          <Link href={`/products/${product.slug}`} className="hover:underline">
            {product.name}
          </Link>
        </h2>
        <p className="flex-1 text-sm text-stone-600">{product.description}</p>
        <p className="font-semibold" data-testid="price">
          {formatPrice(product.priceCents)}
        </p>
        <AddToCartButton productId={product.id} productName={product.name} />
      </div>
    </article>
  );
}

"use client";

import { primaryButton } from "@/components/ui/button";
import { useAddToCart } from "./use-add-to-cart";

export function AddToCartButton({ productId, productName }: { productId: number; productName: string }) {
  const addToCart = useAddToCart();
  return (
    <div className="flex flex-col gap-1">
      <button
        type="button"
        className={primaryButton}
        disabled={addToCart.isPending}
        aria-label={`Add ${productName} to cart`}
        onClick={() => addToCart.mutate({ productId, quantity: 1 })}
      >
        {addToCart.isPending ? "Adding…" : "Add to cart"}
      </button>
      <p aria-live="polite" className="min-h-5 text-xs">
        {addToCart.isError ? <span className="text-red-700">{addToCart.error.message}</span> : addToCart.isSuccess ? <span className="text-green-700">Added.</span> : null}
      </p>
    </div>
  );
}

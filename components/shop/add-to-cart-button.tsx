"use client";

import { useActionState } from "react";
import { addToCartAction } from "@/app/(shop)/cart/actions";
import { primaryButton } from "@/components/ui/button";

/** A catalogue card's one-click add: the same server action as the product page, one of the product. */
export function AddToCartButton({ productId, productName }: { productId: number; productName: string }) {
  const [state, formAction, pending] = useActionState(addToCartAction, null);
  return (
    <form action={formAction} className="flex flex-col gap-1">
      <input type="hidden" name="productId" value={productId} />
      <button type="submit" className={primaryButton} disabled={pending} aria-label={`Add ${productName} to cart`}>
        {pending ? "Adding…" : "Add to cart"}
      </button>
      <p aria-live="polite" className="min-h-5 text-xs">
        {state?.ok === false ? <span className="text-red-700">{state.error.message}</span> : state?.ok ? <span className="text-green-700">Added.</span> : null}
      </p>
    </form>
  );
}

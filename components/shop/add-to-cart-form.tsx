"use client";

import { useActionState } from "react";
import { addToCartAction } from "@/app/(shop)/cart/actions";
import { primaryButton, textInput } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { MAX_LINE_QUANTITY } from "@/lib/cart-limits";

/**
 * The product page's form, a server action: the browser keeps the quantity
 * within the cart's limit, the action checks it again. Setting the session
 * cookie makes Next re-render the page, so the header's count follows.
 */
export function AddToCartForm({ productId }: { productId: number }) {
  const [state, formAction, pending] = useActionState(addToCartAction, null);
  return (
    <form action={formAction} className="flex flex-col gap-3" aria-label="Add to cart">
      <input type="hidden" name="productId" value={productId} />
      <div className="flex items-end gap-3">
        <label className="flex flex-col gap-1 text-sm font-medium">
          Quantity
          <input
            type="number"
            name="quantity"
            inputMode="numeric"
            min={1}
            max={MAX_LINE_QUANTITY}
            step={1}
            required
            defaultValue={1}
            className={`${textInput} w-24`}
          />
        </label>
        <button type="submit" className={primaryButton} disabled={pending}>
          {pending ? "Adding…" : "Add to cart"}
        </button>
      </div>
      <FormError message={state?.ok === false ? state.error.message : null} />
      {state?.ok ? (
        <p role="status" className="text-sm text-green-700">
          Added. Your cart now holds {state.data.count} item{state.data.count === 1 ? "" : "s"}.
        </p>
      ) : null}
    </form>
  );
}

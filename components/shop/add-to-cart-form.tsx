"use client";

import { useState, type FormEvent } from "react";
import { primaryButton, textInput } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { MAX_LINE_QUANTITY } from "@/lib/cart-limits";
import { useAddToCart } from "./use-add-to-cart";

/** The product page's form: a quantity the browser keeps within the cart's limit; the API checks it again. */
export function AddToCartForm({ productId }: { productId: number }) {
  const addToCart = useAddToCart();
  const [quantity, setQuantity] = useState("1");

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = Number(quantity);
    if (!Number.isInteger(value) || value < 1 || value > MAX_LINE_QUANTITY) return;
    addToCart.mutate({ productId, quantity: value });
  };

  return (
    <form onSubmit={submit} className="flex flex-col gap-3" aria-label="Add to cart">
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
            value={quantity}
            onChange={(event) => setQuantity(event.target.value)}
            className={`${textInput} w-24`}
          />
        </label>
        <button type="submit" className={primaryButton} disabled={addToCart.isPending}>
          {addToCart.isPending ? "Adding…" : "Add to cart"}
        </button>
      </div>
      <FormError message={addToCart.isError ? addToCart.error.message : null} />
      {addToCart.isSuccess ? (
        <p role="status" className="text-sm text-green-700">
          Added. Your cart now holds {addToCart.data.count} item{addToCart.data.count === 1 ? "" : "s"}.
        </p>
      ) : null}
    </form>
  );
}

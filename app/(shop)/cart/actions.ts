"use server";

import { parseInput, readFormNumbers } from "@/lib/server/request-body";
import { cartItemInput } from "@/lib/server/schemas";
import { withActionSession, type ActionResult } from "@/lib/server/session/next";
import { addToCart } from "@/lib/server/shop/cart";

export type AddToCartState = ActionResult<{ count: number }> | null;

/**
 * The shop's add-to-cart forms (catalogue cards and product pages). The same
 * schema and cart module as POST /api/cart/items; the form works before the
 * page's JavaScript has loaded, or without it.
 */
export async function addToCartAction(_previous: AddToCartState, form: FormData): Promise<AddToCartState> {
  return withActionSession(async ({ session }) => {
    const { productId, quantity } = parseInput(cartItemInput, readFormNumbers(form, ["productId", "quantity"]));
    const cart = await addToCart(session, productId, quantity);
    return { count: cart.count };
  });
}

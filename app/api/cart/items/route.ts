import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/server/request-body";
import { cartItemInput } from "@/lib/server/schemas";
import { addToCart } from "@/lib/server/shop/cart";
import { withSession } from "@/lib/server/session/next";

export const POST = withSession(async (request, { session }) => {
  const { productId, quantity } = await readJsonBody(request, cartItemInput);
  return NextResponse.json(await addToCart(session, productId, quantity), { status: 201 });
});

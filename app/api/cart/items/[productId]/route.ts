import { NextResponse } from "next/server";
import { API_ERRORS, HttpError } from "@/lib/server/http";
import { productIdParam } from "@/lib/server/schemas";
import { removeFromCart } from "@/lib/server/shop/cart";
import { withSession } from "@/lib/server/session/next";

export const DELETE = withSession<Promise<{ productId: string }>>(async (_request, { session, params }) => {
  const parsed = productIdParam.safeParse((await params).productId);
  if (!parsed.success) throw new HttpError(400, API_ERRORS.BAD_REQUEST, "productId must be a product id.");
  return NextResponse.json(await removeFromCart(session, parsed.data));
});

import { NextResponse } from "next/server";
import { getCurrentUser } from "@/lib/server/auth/auth";
import { checkout } from "@/lib/server/shop/cart";
import { addFlash } from "@/lib/server/shop/flash";
import { withSession } from "@/lib/server/session/next";
import { formatPrice } from "@/lib/format";

export const POST = withSession(async (_request, { session }) => {
  const user = await getCurrentUser(session);
  const order = await checkout(session, user?.id ?? null);
  addFlash(session, "success", `Order #${order.orderId} placed: ${formatPrice(order.totalCents)}. Thank you!`);
  return NextResponse.json(order, { status: 201 });
});

import { NextResponse } from "next/server";
import { HttpError, httpErrorResponse } from "@/lib/server/http";
import { listProducts } from "@/lib/server/shop/products";

export async function GET() {
  try {
    return NextResponse.json({ items: await listProducts() });
  } catch (error) {
    // Attach mode without the shop's tables: 404 shop_not_installed, with what to do.
    if (error instanceof HttpError) return httpErrorResponse(error);
    throw error;
  }
}

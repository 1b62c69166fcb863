import { NextResponse } from "next/server";
import { HttpError, httpErrorResponse } from "@/lib/server/http";
import { serviceUnavailableError } from "@/lib/server/session/lifecycle";
import { listProducts } from "@/lib/server/shop/products";

export async function GET() {
  try {
    return NextResponse.json({ items: await listProducts() });
  } catch (error) {
    // Attach mode without the shop's tables: 404 shop_not_installed, with what to do.
    if (error instanceof HttpError) return httpErrorResponse(error);
    // The database is away: 503 with Retry-After, as for every session route (anything else is rethrown).
    return httpErrorResponse(serviceUnavailableError(error));
  }
}

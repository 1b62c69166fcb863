import { NextResponse } from "next/server";
import { listProducts } from "@/lib/server/shop/products";

export async function GET() {
  return NextResponse.json({ items: await listProducts() });
}

import { NextResponse } from "next/server";
import { readCart } from "@/lib/server/shop/cart";
import { withSession } from "@/lib/server/session/next";

export const GET = withSession(async (_request, { session }) => NextResponse.json(await readCart(session)));

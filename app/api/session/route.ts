import { NextResponse } from "next/server";
import { isServiceUnavailable } from "@/lib/node/unavailable";
import { API_ERRORS, errorResponse } from "@/lib/server/http";
import { readSessionView } from "@/lib/server/shop/session-view";

/**
 * GET /api/session: the visitor's own session as the shop's panels show it,
 * for their refresh after an action. Read-only (it saves nothing and sets no
 * cookie), never the key, and never cached anywhere.
 */
export async function GET() {
  try {
    return NextResponse.json(await readSessionView(), { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (!isServiceUnavailable(error)) throw error;
    return errorResponse(503, API_ERRORS.SERVICE_UNAVAILABLE, "The session store is briefly unavailable; try again in a few seconds.", { "Retry-After": "5", "Cache-Control": "no-store" });
  }
}

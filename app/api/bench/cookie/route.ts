import type { NextRequest } from "next/server";
import { assertBenchRoutesEnabled, echoCookie } from "@/lib/server/bench-routes";
import { httpErrorResponse, HttpError } from "@/lib/server/http";

export async function GET(request: NextRequest) {
  try {
    assertBenchRoutesEnabled();
  } catch (error) {
    if (error instanceof HttpError) return httpErrorResponse(error);
    throw error;
  }
  return echoCookie(request);
}

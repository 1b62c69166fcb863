import type { NextRequest } from "next/server";
import { benchRoute, echoCookie } from "@/lib/server/bench-routes";

export function GET(request: NextRequest) {
  return benchRoute(() => echoCookie(request));
}

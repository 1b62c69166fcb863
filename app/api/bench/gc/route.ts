import { assertBenchRoutesEnabled, collectGarbage } from "@/lib/server/bench-routes";
import { httpErrorResponse, HttpError } from "@/lib/server/http";

export function POST() {
  try {
    assertBenchRoutesEnabled();
    return collectGarbage();
  } catch (error) {
    if (error instanceof HttpError) return httpErrorResponse(error);
    throw error;
  }
}

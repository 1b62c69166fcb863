import { assertBenchRoutesEnabled, countVisit } from "@/lib/server/bench-routes";
import { httpErrorResponse, HttpError } from "@/lib/server/http";

export async function GET() {
  try {
    assertBenchRoutesEnabled();
  } catch (error) {
    if (error instanceof HttpError) return httpErrorResponse(error);
    throw error;
  }
  return countVisit(null);
}

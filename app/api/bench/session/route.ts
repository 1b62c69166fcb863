import { assertBenchRoutesEnabled, countVisit } from "@/lib/server/bench-routes";
import { withSession } from "@/lib/server/session/next";

export const GET = withSession(async (_request, { session }) => {
  assertBenchRoutesEnabled();
  return countVisit(session);
});

import { benchRoute, collectGarbage } from "@/lib/server/bench-routes";

export function POST() {
  return benchRoute(collectGarbage);
}

import { benchRoute, countVisit } from "@/lib/server/bench-routes";

export function GET() {
  return benchRoute(() => countVisit(null));
}

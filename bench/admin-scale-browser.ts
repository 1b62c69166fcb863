/** The scale benchmark's browser part (filled in below). */
import type { BrowserTiming } from "./admin-scale-report.ts";

export async function measureBrowser(urls: readonly [string, string], now: Date, runs: number): Promise<[BrowserTiming, BrowserTiming] | null> {
  void urls;
  void now;
  void runs;
  return null;
}

// Helpers for the live-update specs: the sidebar's indicator, and the number
// of sessions the list says match its filters.
import { expect, type Page } from "@playwright/test";

export const liveIndicator = (page: Page) => page.getByRole("status").filter({ hasText: "Live updates:" });

/** Waits until the dashboard's event stream is open (the indicator says Live). */
export async function expectLive(page: Page): Promise<void> {
  await expect(liveIndicator(page)).toHaveText(/Live updates:\s*Live$/);
}

/** "3 sessions match these filters" as a number, once the list has loaded. */
export async function matchingSessions(page: Page): Promise<number> {
  const count = page.getByText(/^\d[\d,]* sessions? match(es)? these filters/);
  await expect(count).toBeVisible();
  return Number((/^[\d,]+/.exec((await count.textContent()) ?? "")?.[0] ?? "").replaceAll(",", ""));
}

export const matchingText = (n: number) => new RegExp(`^${n.toLocaleString("en-US")} sessions? match(es)? these filters`);

// Login throttling over HTTP, as an attacking script sees it (the rules: docs/security.md).
import { expect, test } from "@playwright/test";

test("a burst of wrong passwords for one account gets a few checks, then 429 with Retry-After", async ({ request, baseURL }) => {
  // A made-up account nothing else uses. Failures count per account+address (5) and per address (20):
  // this burst adds at most 5 to this address's count, which the other specs' failures stay well below.
  const headers = { "Content-Type": "application/json", Origin: baseURL! };
  const responses = await Promise.all(
    Array.from({ length: 30 }, (_, i) => request.post("/api/auth/login", { headers, data: { username: "trudy", password: `guess-${i}` } })),
  );
  const checked = responses.filter((response) => response.status() === 401);
  const refused = responses.filter((response) => response.status() === 429);
  expect(checked.length).toBeGreaterThan(0);
  expect(checked.length).toBeLessThanOrEqual(5);
  expect(refused).toHaveLength(30 - checked.length);
  for (const response of refused) {
    expect(Number(response.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(await response.json()).toEqual({ error: { code: "rate_limited", message: expect.stringMatching(/^Too many .* Try again in /) } });
  }
});

// ?next= on the login page is where the browser goes after a login: only a
// path on this site, never another site however the value is disguised.
import { expect, test } from "@playwright/test";

// Each value reaches the page already URL-decoded: "/%09/evil.example" arrives as "/<tab>/evil.example",
// which a browser resolves to //evil.example.
for (const next of ["/%09/evil.example", "//evil.example", "/%5Cevil.example", "https:evil.example"]) {
  test(`logging in through /login?next=${next} stays on the site`, async ({ page, context, baseURL }) => {
    const offSite: string[] = [];
    // Anything that is not this server is answered here and recorded: the test never reaches the network.
    await context.route(
      (url) => url.origin !== new URL(baseURL!).origin,
      (route) => {
        offSite.push(route.request().url());
        return route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Another site</h1>" });
      },
    );

    await page.goto(`/login?next=${next}`);
    await page.getByLabel("Username").fill("viewer");
    await page.getByLabel("Password").fill("demo-viewer");
    await page.getByRole("button", { name: "Log in" }).click();

    await expect(page).toHaveURL(`${baseURL}/account`);
    await expect(page.getByRole("heading", { name: "Your sessions", level: 1 })).toBeVisible();
    expect(offSite).toEqual([]);
  });
}

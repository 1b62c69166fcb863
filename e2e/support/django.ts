// Helpers for the specs that pair SessionScope with a real Django site (test/helpers/django-site.ts):
// a login through Django's form, and Django's own view of who a browser's cookie belongs to.
import { expect, type Page } from "@playwright/test";
import type { DjangoSite } from "../../test/helpers/django-site";

/** A service of test/services/services.mjs (redis-server, PostgreSQL), stopped by its PID. */
export interface Service {
  readonly url: string;
  stop(): void;
}

/** What the test site's /whoami/ answers. */
export interface WhoAmI {
  authenticated: boolean;
  username: string | null;
  session_key: string | null;
  django: string;
}

/** Logs in through the Django site's form; the browser keeps the cookie for both sites (both on 127.0.0.1). */
export async function logInOnDjango(page: Page, site: DjangoSite, username: string, password: string): Promise<void> {
  await page.goto(`${site.url}/login/`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in to Django" }).click();
  await expect(page.locator("body")).toContainText(`"username": "${username}"`);
}

/** Who the Django site says the browser's session cookie belongs to. */
export async function whoAmI(page: Page, site: DjangoSite): Promise<WhoAmI> {
  const response = await page.context().request.get(`${site.url}/whoami/`);
  expect(response.ok()).toBe(true);
  return (await response.json()) as WhoAmI;
}

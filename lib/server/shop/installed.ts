import "server-only";
/**
 * Whether the reference shop's tables are in this database. They always are,
 * except in attach mode (a Django site's database), where only
 * SESSIONSCOPE_ATTACH_SHOP=1 adds them. Without them the catalogue, the cart
 * and checkout answer with this explanation (never a database error); login,
 * the account pages and the dashboard need only auth_user and the sessions.
 */
import { getEnv } from "../../node/env.ts";
import { API_ERRORS, HttpError } from "../http.ts";

export const SHOP_NOT_INSTALLED_MESSAGE =
  "The reference shop is not installed in this database: SESSIONSCOPE_ATTACH_SHOP=1 adds its tables (shop_*) and its catalogue to the Django site's database at the next start. " +
  "Logging in, your sessions and the dashboard work without it.";

export function shopInstalled(): boolean {
  const env = getEnv();
  return !env.SESSIONSCOPE_ATTACH || env.SESSIONSCOPE_ATTACH_SHOP;
}

/** For the shop's data functions: 404 shop_not_installed with the explanation when the tables are not there. */
export function requireShop(): void {
  if (!shopInstalled()) throw new HttpError(404, API_ERRORS.SHOP_NOT_INSTALLED, SHOP_NOT_INSTALLED_MESSAGE);
}

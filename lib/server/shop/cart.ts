import "server-only";
/**
 * The shop cart, kept in the session under "cart" as plain JSON that a
 * Django view could read too: {"items": [{"productId": 1, "quantity": 2}]}.
 *
 * Every change goes through `session.modify`, SessionScope's atomic
 * read-modify-write: if another request of the same browser saved the
 * session meanwhile, the change is replayed on the fresh cart instead of
 * overwriting it. Fifty simultaneous "add" clicks leave fifty items.
 */
import { CART_LINES_LIMIT_MESSAGE, LINE_QUANTITY_LIMIT_MESSAGE, MAX_CART_LINES, MAX_LINE_QUANTITY } from "@/lib/cart-limits";
import type { Session } from "@/lib/session";
import { getPrisma } from "../db/client.ts";
import { API_ERRORS, HttpError } from "../http.ts";
import { CART_KEY } from "../../node/shop-keys.ts";
import { requireShop } from "./installed.ts";
import { findProductById, findProductsByIds } from "./products.ts";

export { CART_KEY };

interface StoredLine {
  productId: number;
  quantity: number;
}
interface StoredCart {
  items: StoredLine[];
}

export interface CartLine {
  readonly productId: number;
  readonly slug: string;
  readonly name: string;
  readonly quantity: number;
  readonly priceCents: number;
  readonly lineTotalCents: number;
}

export interface CartView {
  readonly items: CartLine[];
  readonly count: number;
  readonly totalCents: number;
}

/** Whatever is in the session, read defensively: a hand-edited or foreign cart never crashes a page. */
function storedCart(value: unknown): StoredCart {
  const items = (value as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items)) return { items: [] };
  return {
    items: items.flatMap((line: unknown) => {
      const { productId, quantity } = (line ?? {}) as Record<string, unknown>;
      return Number.isSafeInteger(productId) && Number.isSafeInteger(quantity) && (quantity as number) > 0
        ? [{ productId: productId as number, quantity: quantity as number }]
        : [];
    }),
  };
}

export function cartItemCount(session: Session): number {
  return storedCart(session.get(CART_KEY)).items.reduce((sum, line) => sum + line.quantity, 0);
}

export async function readCart(session: Session): Promise<CartView> {
  requireShop();
  await session.load();
  const { items } = storedCart(session.get(CART_KEY));
  if (items.length === 0) return { items: [], count: 0, totalCents: 0 };
  const products = await findProductsByIds(items.map((line) => line.productId));
  const byId = new Map(products.map((product) => [product.id, product]));
  const lines = items.flatMap((line): CartLine[] => {
    const product = byId.get(line.productId);
    if (!product) return []; // removed from the catalogue since
    return [{ productId: product.id, slug: product.slug, name: product.name, quantity: line.quantity, priceCents: product.priceCents, lineTotalCents: product.priceCents * line.quantity }];
  });
  return {
    items: lines,
    count: lines.reduce((sum, line) => sum + line.quantity, 0),
    totalCents: lines.reduce((sum, line) => sum + line.lineTotalCents, 0),
  };
}

export async function addToCart(session: Session, productId: number, quantity: number): Promise<CartView> {
  requireShop();
  const product = await findProductById(productId);
  if (!product) throw new HttpError(404, API_ERRORS.NOT_FOUND, `There is no product ${productId}.`);
  await session.load();
  const current = storedCart(session.get(CART_KEY));
  const line = current.items.find((item) => item.productId === productId);
  if ((line?.quantity ?? 0) + quantity > MAX_LINE_QUANTITY) {
    throw new HttpError(422, API_ERRORS.VALIDATION, LINE_QUANTITY_LIMIT_MESSAGE);
  }
  if (!line && current.items.length >= MAX_CART_LINES) {
    throw new HttpError(422, API_ERRORS.VALIDATION, CART_LINES_LIMIT_MESSAGE);
  }
  session.modify<StoredCart>(CART_KEY, (value) => {
    // Runs again on the fresh cart if a concurrent request saved first.
    const cart = storedCart(value);
    const existing = cart.items.find((item) => item.productId === productId);
    if (existing) existing.quantity = Math.min(MAX_LINE_QUANTITY, existing.quantity + quantity);
    else cart.items.push({ productId, quantity });
    return cart;
  });
  return readCart(session);
}

export async function removeFromCart(session: Session, productId: number): Promise<CartView> {
  requireShop();
  await session.load();
  if (!storedCart(session.get(CART_KEY)).items.some((item) => item.productId === productId)) {
    throw new HttpError(404, API_ERRORS.NOT_FOUND, `Product ${productId} is not in the cart.`);
  }
  session.modify<StoredCart>(CART_KEY, (value) => {
    const cart = storedCart(value);
    return { items: cart.items.filter((item) => item.productId !== productId) };
  });
  return readCart(session);
}

/** Records an order from the cart and empties it; the order belongs to the user when logged in. */
export async function checkout(session: Session, userId: number | null): Promise<{ orderId: number; totalCents: number }> {
  const cart = await readCart(session);
  if (cart.items.length === 0) throw new HttpError(422, API_ERRORS.VALIDATION, "The cart is empty.");
  const order = await getPrisma().order.create({
    data: {
      userId,
      totalCents: cart.totalCents,
      createdAt: new Date(),
      lines: { create: cart.items.map((line) => ({ productId: line.productId, quantity: line.quantity, priceCents: line.priceCents })) },
    },
  });
  session.pop(CART_KEY, undefined);
  return { orderId: order.id, totalCents: cart.totalCents };
}

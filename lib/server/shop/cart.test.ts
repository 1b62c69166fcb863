// The cart module on a real SQLite database: the app's own connection
// (DATABASE_URL) reads the products, sessions live in the db engine.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CART_LINES_LIMIT_MESSAGE, LINE_QUANTITY_LIMIT_MESSAGE, MAX_CART_LINES, MAX_LINE_QUANTITY } from "@/lib/cart-limits";
import type { Session } from "@/lib/session";
import { createSqliteDatabase, type TestDatabase } from "../../../test/helpers/databases.ts";
import { CATALOGUE } from "../../node/db/catalogue.ts";
import { parseEnv } from "../../node/env.ts";
import { createSessionRuntime, type SessionRuntime } from "../../node/session/runtime.ts";
import { getDatabase } from "../db/client.ts";
import { HttpError } from "../http.ts";
import { addToCart, cartItemCount, checkout, readCart, removeFromCart } from "./cart.ts";

let t: TestDatabase;
let runtime: SessionRuntime;
let ids: Record<string, number>;

beforeAll(async () => {
  t = await createSqliteDatabase();
  vi.stubEnv("DATABASE_URL", t.url);
  await t.db.prisma.product.createMany({ data: [...CATALOGUE] });
  ids = Object.fromEntries((await t.db.prisma.product.findMany()).map((product) => [product.slug, product.id]));
  runtime = createSessionRuntime(parseEnv({ DATABASE_URL: t.url }), t.db, null);
});
afterAll(async () => {
  await getDatabase().close();
  await t.dispose();
  vi.unstubAllEnvs();
});

const open = async (key: string | null = null): Promise<Session> => runtime.openSession(key, await runtime.policy.get()).load();

/** A saved session holding what `fill` put in its cart; returns its key. */
async function savedCart(fill: (session: Session) => Promise<unknown>): Promise<string> {
  const session = await open();
  await fill(session);
  await session.save();
  return session.key!;
}

async function refusal(promise: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(HttpError);
  const { status, code, message } = error as HttpError;
  return { status, code, message };
}

describe("the cart", () => {
  it("adds lines, merges a product's quantities and prices them from the database", async () => {
    const session = await open();
    await addToCart(session, ids["signed-mug"]!, 2);
    const cart = await addToCart(session, ids["cookie-jar"]!, 1);
    expect(cart).toEqual({
      items: [
        { productId: ids["signed-mug"], slug: "signed-mug", name: "Signed Mug", quantity: 2, priceCents: 1400, lineTotalCents: 2800 },
        { productId: ids["cookie-jar"], slug: "cookie-jar", name: "Cookie Jar", quantity: 1, priceCents: 2400, lineTotalCents: 2400 },
      ],
      count: 3,
      totalCents: 5200,
    });
    expect((await addToCart(session, ids["signed-mug"]!, 3)).items[0]).toMatchObject({ quantity: 5, lineTotalCents: 7000 });
    expect(cartItemCount(session)).toBe(6);
    // Only ids and quantities are stored, as plain JSON a Django view could read.
    expect(session.get("cart")).toEqual({ items: [{ productId: ids["signed-mug"], quantity: 5 }, { productId: ids["cookie-jar"], quantity: 1 }] });
  });

  it("refuses an unknown product with 404 and leaves the cart alone", async () => {
    const session = await open();
    await addToCart(session, ids["zlib-tote"]!, 1);
    expect(await refusal(addToCart(session, 999_999, 1))).toEqual({ status: 404, code: "not_found", message: "There is no product 999999." });
    expect((await readCart(session)).count).toBe(1);
  });

  it(`holds at most ${MAX_LINE_QUANTITY} of one product`, async () => {
    const session = await open();
    await addToCart(session, ids["base62-socks"]!, MAX_LINE_QUANTITY - 1);
    await addToCart(session, ids["base62-socks"]!, 1);
    expect(await refusal(addToCart(session, ids["base62-socks"]!, 1))).toEqual({ status: 422, code: "validation_failed", message: LINE_QUANTITY_LIMIT_MESSAGE });
    expect((await readCart(session)).count).toBe(MAX_LINE_QUANTITY);
  });

  it(`holds at most ${MAX_CART_LINES} different products`, async () => {
    const extra = Array.from({ length: MAX_CART_LINES + 1 - CATALOGUE.length }, (_, i) => ({
      slug: `limit-test-${i}`, name: `Limit test ${i}`, description: "", priceCents: 100, imageHue: 0, stock: 1,
    }));
    await t.db.prisma.product.createMany({ data: extra });
    const products = await t.db.prisma.product.findMany({ orderBy: { id: "asc" } });
    const session = await open();
    for (const product of products.slice(0, MAX_CART_LINES)) await addToCart(session, product.id, 1);
    expect(await refusal(addToCart(session, products[MAX_CART_LINES]!.id, 1))).toEqual({ status: 422, code: "validation_failed", message: CART_LINES_LIMIT_MESSAGE });
    expect((await addToCart(session, products[0]!.id, 1)).count).toBe(MAX_CART_LINES + 1); // more of a product already there is fine
    await t.db.prisma.product.deleteMany({ where: { slug: { startsWith: "limit-test-" } } });
  });

  it("removes a line, and says 404 for a product that is not in it", async () => {
    const session = await open();
    await addToCart(session, ids["signed-mug"]!, 1);
    await addToCart(session, ids["flush-notebook"]!, 4);
    expect((await removeFromCart(session, ids["signed-mug"]!)).items.map((line) => line.slug)).toEqual(["flush-notebook"]);
    expect(await refusal(removeFromCart(session, ids["signed-mug"]!))).toMatchObject({ status: 404, code: "not_found" });
  });

  it("drops products deleted from the catalogue since, and reads a foreign or hand-edited cart as empty", async () => {
    const gone = await t.db.prisma.product.create({ data: { slug: "discontinued", name: "Discontinued", description: "", priceCents: 500, imageHue: 0, stock: 0 } });
    const session = await open();
    await addToCart(session, gone.id, 2);
    await addToCart(session, ids["signed-mug"]!, 1);
    await t.db.prisma.product.delete({ where: { id: gone.id } });
    expect(await readCart(session)).toMatchObject({ count: 1, totalCents: 1400 });

    for (const value of ["a string", { items: "nope" }, { items: [{ productId: "1", quantity: 2 }, { productId: 1, quantity: -1 }, null] }]) {
      session.set("cart", value);
      expect(await readCart(session)).toEqual({ items: [], count: 0, totalCents: 0 });
    }
  });

  it("loses no add when requests of one browser change the cart at the same time", async () => {
    const key = await savedCart((session) => addToCart(session, ids["signed-mug"]!, 1));
    const products = [ids["signed-mug"]!, ids["cookie-jar"]!, ids["expiry-hourglass"]!];
    // 30 requests, each with its own copy of the session loaded before any of them saved.
    const requests = await Promise.all(Array.from({ length: 30 }, () => open(key)));
    await Promise.all(
      requests.map(async (session, i) => {
        await addToCart(session, products[i % products.length]!, 1);
        await session.save();
      }),
    );
    const cart = await readCart(await open(key));
    expect(cart.count).toBe(31);
    expect(cart.items.map((line) => [line.slug, line.quantity])).toEqual([
      ["signed-mug", 11],
      ["cookie-jar", 10],
      ["expiry-hourglass", 10],
    ]);
  });

  it("checks out: records the order at the current prices and empties the cart", async () => {
    const session = await open();
    expect(await refusal(checkout(session, null))).toEqual({ status: 422, code: "validation_failed", message: "The cart is empty." });
    const user = await t.db.prisma.authUser.create({
      data: { username: "carol", password: "!", firstName: "Carol", lastName: "", email: "", isStaff: false, isSuperuser: false, isActive: true, dateJoined: new Date() },
    });
    await addToCart(session, ids["rotation-key-ring"]!, 3);
    const order = await checkout(session, user.id);
    expect(order.totalCents).toBe(2700);
    const stored = await t.db.prisma.order.findUniqueOrThrow({ where: { id: order.orderId }, include: { lines: true } });
    expect(stored).toMatchObject({ userId: user.id, totalCents: 2700, lines: [{ productId: ids["rotation-key-ring"], quantity: 3, priceCents: 900 }] });
    expect(session.has("cart")).toBe(false);
  });
});

import "server-only";
/**
 * The catalogue as the shop reads it: every product read goes through here
 * (pages, the JSON API and the cart alike). The catalogue is public: no role check.
 */
import { getPrisma } from "../db/client.ts";
import { requireShop } from "./installed.ts";

export interface ProductDto {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly price: number;
  readonly priceCents: number;
  readonly imageHue: number;
  readonly inStock: boolean;
}

type ProductRow = { id: number; slug: string; name: string; description: string; priceCents: number; imageHue: number; stock: number };

function toDto(row: ProductRow): ProductDto {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    price: row.priceCents / 100,
    priceCents: row.priceCents,
    imageHue: row.imageHue,
    inStock: row.stock > 0,
  };
}

export async function listProducts(): Promise<ProductDto[]> {
  requireShop();
  const rows = await getPrisma().product.findMany({ orderBy: { id: "asc" } });
  return rows.map(toDto);
}

export async function findProductBySlug(slug: string): Promise<ProductDto | null> {
  requireShop();
  const row = await getPrisma().product.findUnique({ where: { slug } });
  return row ? toDto(row) : null;
}

export async function findProductById(id: number): Promise<ProductDto | null> {
  requireShop();
  const row = await getPrisma().product.findUnique({ where: { id } });
  return row ? toDto(row) : null;
}

/** The products that still exist among `ids`, in no particular order. */
export async function findProductsByIds(ids: readonly number[]): Promise<ProductDto[]> {
  requireShop();
  if (ids.length === 0) return [];
  const rows = await getPrisma().product.findMany({ where: { id: { in: [...new Set(ids)] } } });
  return rows.map(toDto);
}

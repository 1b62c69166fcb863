import "server-only";
import { getPrisma } from "../db/client.ts";

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

/** The catalogue is public: no role check. */
export async function listProducts(): Promise<ProductDto[]> {
  const rows = await getPrisma().product.findMany({ orderBy: { id: "asc" } });
  return rows.map(toDto);
}

export async function findProductBySlug(slug: string): Promise<ProductDto | null> {
  const row = await getPrisma().product.findUnique({ where: { slug } });
  return row ? toDto(row) : null;
}

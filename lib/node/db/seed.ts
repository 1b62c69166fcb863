/**
 * Seeds the demo data once: the catalogue and the demo accounts of the
 * product docs, with Django-compatible pbkdf2_sha256 password hashes.
 * Running it again changes nothing; in production it refuses.
 */
import { hashPassword } from "../../session/index.ts";
import { CATALOGUE, DEMO_ACCOUNTS, demoPassword } from "./catalogue.ts";
import type { AppPrismaClient } from "./connection.ts";

export interface SeedResult {
  readonly products: number;
  readonly users: number;
}

/** The shop's catalogue alone, once: what an attached Django site gets with SESSIONSCOPE_ATTACH_SHOP=1. Returns how many products it added. */
export async function seedCatalogue(prisma: AppPrismaClient): Promise<number> {
  let products = 0;
  for (const item of CATALOGUE) {
    const existing = await prisma.product.findUnique({ where: { slug: item.slug } });
    if (existing) continue;
    await prisma.product.create({ data: item });
    products++;
  }
  return products;
}

export async function seedDemoData(prisma: AppPrismaClient, options: { production: boolean; now?: Date }): Promise<SeedResult> {
  if (options.production) {
    throw new Error("SessionScope: refusing to seed demo accounts in production (NODE_ENV=production).");
  }
  const now = options.now ?? new Date();
  const products = await seedCatalogue(prisma);

  const missing = [];
  for (const account of DEMO_ACCOUNTS) {
    if (!(await prisma.authUser.findUnique({ where: { username: account.username } }))) missing.push(account);
  }
  const hashes = await Promise.all(missing.map((account) => hashPassword(demoPassword(account.username))));
  for (const [index, account] of missing.entries()) {
    await prisma.authUser.create({
      data: {
        username: account.username,
        password: hashes[index]!,
        firstName: account.firstName,
        lastName: "",
        email: `${account.username}@example.com`,
        isStaff: account.isStaff,
        isSuperuser: account.isSuperuser,
        isActive: true,
        dateJoined: now,
        ...(account.role ? { role: { create: { role: account.role } } } : {}),
      },
    });
  }
  return { products, users: missing.length };
}

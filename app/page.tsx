import { ProductCard } from "@/components/shop/product-card";
import { HowItWorks } from "@/components/shop/how-it-works";
import { listProducts } from "@/lib/server/data/products";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const products = await listProducts();
  return (
    <>
      <h1 className="mb-6 text-2xl font-semibold">Catalogue</h1>
      {products.length === 0 ? (
        <p className="text-stone-600">The catalogue is empty. Run <code>npx sessionscope seed</code> or restart with demo data.</p>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {products.map((product) => (
            <li key={product.id} className="flex">
              <ProductCard product={product} />
            </li>
          ))}
        </ul>
      )}
      <HowItWorks>
        <p>
          Browsing the catalogue does not touch your session: no session is read, none is created, and no cookie is
          set. Django behaves the same way: a session exists only once something is stored in it.
        </p>
      </HowItWorks>
    </>
  );
}

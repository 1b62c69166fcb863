import { ProductCard } from "@/components/shop/product-card";
import { HowItWorks } from "@/components/shop/how-it-works";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/server/auth/auth";
import { readSession } from "@/lib/server/session/next";
import { shopInstalled } from "@/lib/server/shop/installed";
import { listProducts } from "@/lib/server/shop/products";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  if (!shopInstalled()) {
    // A Django site's database without the shop: the front page is the way in to the dashboard or your sessions.
    const user = await getCurrentUser((await readSession()).session, { readOnly: true });
    redirect(user?.role ? "/admin" : user ? "/account" : "/login");
  }
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
          Browsing the catalogue stores nothing: the header only reads your session (if you have a cookie) to show your
          name and the cart count, and a visitor without a cookie gets none. Django behaves the same way: a session
          row and its <code>sessionid</code> cookie appear only once something is stored in it.
        </p>
        <p>
          Your first <strong>Add to cart</strong> is that moment: a server action creates the session, writes{" "}
          <code>{"{\"cart\": {\"items\": [...]}}"}</code> into it and answers with <code>Set-Cookie: sessionid=…</code>;
          Next then renders the page again with the new cookie, so the header counts the item.
        </p>
      </HowItWorks>
    </>
  );
}

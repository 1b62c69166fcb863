import Link from "next/link";
import type { CartView } from "@/lib/server/shop/cart";
import { formatPrice } from "@/lib/format";
import { RemoveFromCartButton } from "./remove-from-cart-button";

/** The cart as the server read it from the session; only the Remove buttons run in the browser. */
export function CartTable({ cart }: { cart: CartView }) {
  return (
    <table className="w-full overflow-hidden rounded-lg border border-stone-200 bg-white text-sm shadow-sm">
      <caption className="sr-only">Items in your cart</caption>
      <thead className="bg-stone-100 text-left text-stone-600">
        <tr>
          <th scope="col" className="px-4 py-2 font-medium">Product</th>
          <th scope="col" className="px-4 py-2 text-right font-medium">Price</th>
          <th scope="col" className="px-4 py-2 text-right font-medium">Quantity</th>
          <th scope="col" className="px-4 py-2 text-right font-medium">Total</th>
          <th scope="col" className="px-4 py-2"><span className="sr-only">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        {cart.items.map((line) => (
          <tr key={line.productId} className="border-t border-stone-200">
            <th scope="row" className="px-4 py-2 text-left font-medium">
              <Link href={`/products/${line.slug}`} className="hover:underline">{line.name}</Link>
            </th>
            <td className="px-4 py-2 text-right">{formatPrice(line.priceCents)}</td>
            <td className="px-4 py-2 text-right">{line.quantity}</td>
            <td className="px-4 py-2 text-right">{formatPrice(line.lineTotalCents)}</td>
            <td className="px-4 py-2 text-right">
              <RemoveFromCartButton productId={line.productId} productName={line.name} />
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr className="border-t border-stone-300 font-semibold">
          <th scope="row" colSpan={3} className="px-4 py-2 text-right">Total ({cart.count} item{cart.count === 1 ? "" : "s"})</th>
          <td className="px-4 py-2 text-right" data-testid="cart-total">{formatPrice(cart.totalCents)}</td>
          <td />
        </tr>
      </tfoot>
    </table>
  );
}

import Link from "next/link";
import { HowItWorks } from "./how-it-works";

/** "Page not found", with the way back to the catalogue: the site's 404 and the shop's. */
export function PageNotFound() {
  return (
    <>
      <div className="py-16 text-center">
        <h1 className="text-2xl font-semibold">Page not found</h1>
        <p className="mt-2 text-stone-600">
          <Link href="/" className="underline">Back to the catalogue</Link>
        </p>
      </div>
      <HowItWorks>
        <p>Nothing happened to your session here: a missing page only reads it to draw the header, and stores nothing.</p>
      </HowItWorks>
    </>
  );
}

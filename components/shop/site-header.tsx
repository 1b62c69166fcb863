import Link from "next/link";

export function SiteHeader() {
  return (
    <header className="border-b border-stone-200 bg-white">
      <div className="mx-auto flex max-w-5xl items-center justify-between px-4 py-3">
        <Link href="/" className="text-lg font-semibold tracking-tight">
          SessionScope <span className="text-amber-700">Shop</span>
        </Link>
        <nav aria-label="Main" className="flex gap-4 text-sm text-stone-600">
          <Link href="/" className="hover:text-stone-900">
            Catalogue
          </Link>
        </nav>
      </div>
    </header>
  );
}

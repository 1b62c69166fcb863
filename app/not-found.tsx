import Link from "next/link";

export default function NotFound() {
  return (
    <div className="py-16 text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-stone-600">
        <Link href="/" className="underline">Back to the catalogue</Link>
      </p>
    </div>
  );
}

import { PageNotFound } from "@/components/shop/page-not-found";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-5xl px-4 py-8">
      <PageNotFound />
    </main>
  );
}

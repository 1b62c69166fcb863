"use client";
import { PageError } from "@/components/shop/page-error";

// Error boundaries are client components; this one covers the shop's and the dashboard's pages.
export default function Error({ error, retry }: { error: unknown; retry: () => void }) {
  return <PageError error={error} retry={retry} />;
}

"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { secondaryButton } from "@/components/ui/button";
import { apiFetch } from "./api-client";

/** DELETE /api/cart/items/:productId removes the whole line (again through session.modify()). */
export function RemoveFromCartButton({ productId, productName }: { productId: number; productName: string }) {
  const router = useRouter();
  const remove = useMutation({
    mutationFn: () => apiFetch(`/api/cart/items/${productId}`, { method: "DELETE" }),
    onSuccess: () => router.refresh(), // the server-rendered cart and the header's count
  });
  return (
    <span className="inline-flex flex-col items-end gap-1">
      <button type="button" className={secondaryButton} disabled={remove.isPending} aria-label={`Remove ${productName}`} onClick={() => remove.mutate()}>
        {remove.isPending ? "Removing…" : "Remove"}
      </button>
      {remove.isError ? (
        <span role="alert" className="text-xs text-red-700">
          {remove.error.message}
        </span>
      ) : null}
    </span>
  );
}

"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { CartView } from "@/lib/server/shop/cart";
import { queryKeys } from "@/lib/query-keys";
import { apiFetch } from "./api-client";

/**
 * POST /api/cart/items. The server adds the line with session.modify(), so two
 * tabs adding at once both count. Afterwards the cached cart is stale, and
 * router.refresh() re-renders the server components (the header's count).
 */
export function useAddToCart() {
  const queryClient = useQueryClient();
  const router = useRouter();
  return useMutation({
    mutationFn: (line: { productId: number; quantity: number }) => apiFetch<CartView>("/api/cart/items", { method: "POST", body: line }),
    onSuccess: (cart) => {
      queryClient.setQueryData(queryKeys.cart.current, cart);
      void queryClient.invalidateQueries({ queryKey: queryKeys.cart.current });
      router.refresh();
    },
  });
}

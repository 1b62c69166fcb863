"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { primaryButton } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { apiFetch } from "./api-client";

/**
 * POST /api/cart/checkout records the order, pops 'cart' from the session and
 * adds a flash message to it. Then a full page load of "/": the layout, which
 * shows flash messages, renders again with the session as it is now.
 */
export function CheckoutButton() {
  const queryClient = useQueryClient();
  const checkout = useMutation({
    mutationFn: () => apiFetch("/api/cart/checkout", { method: "POST" }),
    onSuccess: () => {
      queryClient.clear();
      // A full load on purpose: the session cookie changed, and a client-side navigation would keep the
      // root layout (header, flash messages) as rendered for the old session.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination
      window.location.assign("/");
    },
  });
  return (
    <div className="flex flex-col items-end gap-2">
      <button type="button" className={primaryButton} disabled={checkout.isPending || checkout.isSuccess} onClick={() => checkout.mutate()}>
        {checkout.isPending || checkout.isSuccess ? "Placing order…" : "Check out"}
      </button>
      <FormError message={checkout.isError ? checkout.error.message : null} />
    </div>
  );
}

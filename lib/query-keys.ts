/** Query keys, one factory per resource, so invalidation stays consistent. */
export const queryKeys = {
  products: { all: ["products"] as const },
  cart: { current: ["cart"] as const },
  account: { sessions: ["account", "sessions"] as const },
} as const;

/** Query keys, one factory per resource, so invalidation stays consistent. */
export const queryKeys = {
  account: { sessions: ["account", "sessions"] as const },
} as const;

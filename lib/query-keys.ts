/** Query keys, one factory per resource, so invalidation stays consistent. */
export const queryKeys = {
  account: { sessions: ["account", "sessions"] as const },
  /** The visitor's own session as the shop's panels show it: invalidated by every shop action. */
  session: { current: ["session"] as const },
  admin: {
    /** Everything the dashboard shows: invalidated after any kill or role change. */
    all: ["admin"] as const,
    sessions: {
      all: ["admin", "sessions"] as const,
      list: (query: Record<string, string>) => ["admin", "sessions", "list", query] as const,
      detail: (id: string) => ["admin", "sessions", "detail", id] as const,
    },
    audit: {
      all: ["admin", "audit"] as const,
      list: (query: Record<string, string>) => ["admin", "audit", "list", query] as const,
    },
    /** The overview's numbers (GET /api/admin/stats). */
    stats: () => ["admin", "stats"] as const,
    policy: {
      /** GET /api/admin/policy. */
      view: ["admin", "policy", "view"] as const,
      /** POST /api/admin/policy/preview of one candidate (its settings are the key). */
      preview: (candidate: Record<string, unknown>) => ["admin", "policy", "preview", candidate] as const,
    },
    users: {
      all: ["admin", "users"] as const,
      /** `q`: a username prefix, or "" for everyone. */
      list: (q: string) => ["admin", "users", "list", q] as const,
    },
  },
} as const;

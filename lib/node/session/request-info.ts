/**
 * Who is asking, from the request headers. X-Forwarded-* can be trusted here
 * because instrumentation.ts strips client-sent ones unless TRUST_PROXY is
 * set: then Next itself wrote the socket's address and scheme.
 */
export interface RequestInfo {
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly https: boolean;
}

interface HeaderSource {
  get(name: string): string | null;
}

export function readRequestInfo(headers: HeaderSource): RequestInfo {
  // With a trusted proxy (one hop), the proxy appended the address it saw last.
  const forwarded = headers.get("x-forwarded-for");
  const ip = forwarded?.split(",").map((part) => part.trim()).filter(Boolean).at(-1) ?? null;
  const userAgent = headers.get("user-agent");
  return {
    ip: ip ? ip.replace(/^::ffff:/, "").slice(0, 45) : null,
    userAgent: userAgent ? userAgent.slice(0, 512) : null,
    https: headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https",
  };
}

/**
 * The browser side of the shop's JSON API. Every error arrives as
 * `{ error: { code, message } }`; this turns it into an ApiError whose message
 * can be shown as it is. `fetch` sends the page's Origin header on POST and
 * DELETE, which the API requires of cookie-authenticated unsafe requests.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export async function apiFetch<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? "GET",
    headers: init.body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: "same-origin",
    cache: "no-store",
  });
  const payload = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!response.ok) {
    const message = payload?.error?.message ?? `The request failed (HTTP ${response.status}).`;
    throw new ApiError(response.status, payload?.error?.code ?? "http_error", message);
  }
  return payload as T;
}

/**
 * How cached_db talks to its cache (Redis or Memcached): every step is bounded in time,
 * and a failure is reported and replaced by a fallback, so no request fails because the
 * cache is down; the database alone answers.
 */
export type CacheGuard = <T>(operation: string, fallback: T, step: () => Promise<T>) => Promise<T>;

export function createCacheGuard(name: string, timeoutMs: number, onError?: (error: Error, operation: string) => void): CacheGuard {
  return async (operation, fallback, step) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        step(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`${name} did not answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (error) {
      onError?.(error as Error, operation);
      return fallback;
    } finally {
      clearTimeout(timer);
    }
  };
}

import "server-only";
/**
 * GET /api/admin/events for the viewer of a dashboard: the bus as
 * server-sent events, capped per process, and ended as soon as the viewer's
 * session is gone (logged out, killed) or their role no longer lets them
 * watch (checked again on every heartbeat and after every kill, logout or
 * role change).
 */
import { createEventStream, createStreamLimiter } from "@/lib/node/events/sse";
import { can } from "@/lib/roles";
import type { Session } from "@/lib/session";
import type { AdminUser } from "./admin/access.ts";
import { getCurrentUser } from "./auth/auth.ts";
import { getEventBus } from "./events.ts";
import { API_ERRORS, HttpError } from "./http.ts";
import { getSessionRuntime } from "./session/instance.ts";
import { shutdownSignal } from "./shutdown.ts";

const holder = globalThis as typeof globalThis & { __sessionscopeStreams?: ReturnType<typeof createStreamLimiter> };
const streams = () => (holder.__sessionscopeStreams ??= createStreamLimiter());

/** Event streams open in this process. */
export const openEventStreams = () => streams().open;

export const EVENT_STREAM_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  // no-transform: no compression or proxy may hold events back to batch them.
  "Cache-Control": "no-store, no-transform",
  // nginx buffers responses unless told not to.
  "X-Accel-Buffering": "no",
} as const;

/** Whether the session with this key still belongs to a user whose role may watch the dashboard. */
async function mayStillWatch(sessionKey: string): Promise<boolean> {
  const runtime = getSessionRuntime();
  const fresh = runtime.openSession(sessionKey, await runtime.policy.get());
  const user = await getCurrentUser(fresh, { readOnly: true });
  return Boolean(user?.role && can(user.role, "sessions:view"));
}

export function openEventStream(session: Session, viewer: AdminUser, signal: AbortSignal, options: { heartbeatMs?: number } = {}): Response {
  if (!can(viewer.role, "sessions:view") || session.key === null) throw new HttpError(403, API_ERRORS.FORBIDDEN, "This needs a dashboard role.");
  const release = streams().acquire();
  if (!release) {
    throw new HttpError(503, API_ERRORS.SERVICE_UNAVAILABLE, "Too many live dashboards are connected to this server; live updates resume by themselves shortly.", {
      "Retry-After": "10",
    });
  }
  const key = session.key;
  // The stream ends when its client goes away or when the server begins to stop (SIGTERM); the browser reconnects.
  const body = createEventStream({ bus: getEventBus(), signal: AbortSignal.any([signal, shutdownSignal()]), stillAllowed: () => mayStillWatch(key), heartbeatMs: options.heartbeatMs, onClose: release });
  return new Response(body, { status: 200, headers: EVENT_STREAM_HEADERS });
}

/**
 * The dashboard's event stream (server-sent events), without Next: a
 * ReadableStream that writes each bus event as `event: <type>` with its
 * visible fields as JSON, a comment as heartbeat, and a `retry:` hint; that
 * asks whether its viewer may still watch (on every heartbeat and on every
 * event that can end a session or change a role), and ends when not; and
 * that unsubscribes from the bus when the client goes away.
 */
import type { AdminLiveEvent } from "../../admin-api.ts";
import type { AdminEvent, AdminEventType, EventBus } from "./bus.ts";

export const SSE_HEARTBEAT_MS = 15_000;
/** The browser's EventSource waits this long before reconnecting. */
export const SSE_RETRY_MS = 2_000;
/** Streams one process keeps open at most; the next gets a 503. */
export const MAX_EVENT_STREAMS = 100;
/** A client that reads nothing while this many chunks pile up is dropped (it reconnects when it reads again). */
const MAX_QUEUED_CHUNKS = 256;

/** Events after which the viewer's own session or role may be gone. */
const RECHECK_AFTER: ReadonlySet<AdminEventType> = new Set(["session.logout", "session.killed", "role.changed"]);

/** What any dashboard role may see of an event: no origin, and never a session key (events carry none). */
export function toVisibleEvent(event: AdminEvent): AdminLiveEvent {
  return {
    type: event.type,
    at: event.at,
    ...(event.userId === undefined ? {} : { userId: event.userId }),
    ...(event.count === undefined ? {} : { count: event.count }),
  };
}

export function formatSseEvent(event: AdminEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(toVisibleEvent(event))}\n\n`;
}

/** Counts open streams against a cap. */
export function createStreamLimiter(max: number = MAX_EVENT_STREAMS) {
  let open = 0;
  return {
    /** A release function, or null when `max` streams are open. */
    acquire(): (() => void) | null {
      if (open >= max) return null;
      open++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        open--;
      };
    },
    get open() {
      return open;
    },
  };
}

export interface EventStreamOptions {
  readonly bus: Pick<EventBus, "subscribe">;
  /** Aborted when the client disconnects. */
  readonly signal: AbortSignal;
  /** Whether the viewer may still watch; false ends the stream. An error keeps it (the next check decides). */
  readonly stillAllowed: () => Promise<boolean>;
  readonly heartbeatMs?: number;
  readonly retryMs?: number;
  /** Called once when the stream ends, for whatever reason. */
  readonly onClose?: () => void;
}

export function createEventStream(options: EventStreamOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let finish = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let checking = false;
      const write = (text: string) => {
        if (closed) return;
        if ((controller.desiredSize ?? 0) < -MAX_QUEUED_CHUNKS) return finish();
        controller.enqueue(encoder.encode(text));
      };
      const check = () => {
        if (checking || closed) return;
        checking = true;
        options.stillAllowed().then(
          (allowed) => {
            checking = false;
            if (!allowed) finish();
          },
          () => (checking = false),
        );
      };
      const unsubscribe = options.bus.subscribe((event) => {
        write(formatSseEvent(event));
        if (RECHECK_AFTER.has(event.type)) check();
      });
      const heartbeat = setInterval(() => {
        write(": heartbeat\n\n");
        check();
      }, options.heartbeatMs ?? SSE_HEARTBEAT_MS);
      finish = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(heartbeat);
        options.signal.removeEventListener("abort", finish);
        try {
          controller.close();
        } catch {
          // already cancelled by the client
        }
        options.onClose?.();
      };
      options.signal.addEventListener("abort", finish);
      write(`retry: ${options.retryMs ?? SSE_RETRY_MS}\n: connected\n\n`);
      if (options.signal.aborted) finish();
    },
    cancel() {
      finish();
    },
  });
}

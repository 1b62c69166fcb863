/**
 * A bus that spans instances: events published here reach this instance's
 * listeners directly (once, on the next tick) and other instances through a
 * transport (PostgreSQL LISTEN/NOTIFY or Redis pub/sub). What comes back from
 * the transport with this instance's own origin is dropped, so nothing is
 * delivered twice. A transport that is down costs only the cross-instance
 * hint: publishing still never throws.
 */
import { randomUUID } from "node:crypto";
import { createListenerSet, stampEvent, type EventBus } from "./bus.ts";
import { decodeEvent, encodeEvent } from "./codec.ts";

export interface EventTransport {
  /** "postgresql" or "redis", for logs and docs. */
  readonly name: string;
  /** Sends one payload to every instance listening (this one included). */
  send(payload: string): Promise<void>;
  /** Starts listening; `onMessage` receives every payload on the channel. Reconnects by itself. */
  listen(onMessage: (payload: string) => void): void;
  close(): Promise<void>;
}

export interface SharedBusOptions {
  readonly instanceId?: string;
  readonly now?: () => number;
  readonly onListenerError?: (error: unknown) => void;
  /** A payload could not be sent (the transport is down): reported, never thrown. */
  readonly onSendError?: (error: unknown) => void;
}

export function createSharedBus(transport: EventTransport, options: SharedBusOptions = {}): EventBus {
  const instanceId = options.instanceId ?? randomUUID();
  const listeners = createListenerSet(options.onListenerError);
  transport.listen((payload) => {
    const event = decodeEvent(payload);
    if (event && event.origin !== instanceId) listeners.deliver(event);
  });
  return {
    instanceId,
    publish(input) {
      const event = stampEvent(input, instanceId, options.now);
      queueMicrotask(() => listeners.deliver(event));
      let payload: string;
      try {
        payload = encodeEvent(event);
      } catch (error) {
        options.onSendError?.(error);
        return;
      }
      transport.send(payload).catch((error: unknown) => options.onSendError?.(error));
    },
    subscribe: (listener) => listeners.add(listener),
    close: () => transport.close(),
  };
}

import "server-only";
import { createLocalBus, type AdminEventInput, type EventBus } from "@/lib/node/events/bus";
import { log } from "@/lib/node/log";

// One bus per server process, kept across dev reloads.
const holder = globalThis as typeof globalThis & { __sessionscopeEventBus?: EventBus };

export function getEventBus(): EventBus {
  holder.__sessionscopeEventBus ??= createLocalBus({ onListenerError: (error) => log.warn(`event listener failed: ${String(error)}`) });
  return holder.__sessionscopeEventBus;
}

/** Tells open dashboards (and, with a shared transport, other instances) what happened. Never throws. */
export function publishAdminEvent(event: AdminEventInput): void {
  try {
    getEventBus().publish(event);
  } catch (error) {
    log.warn(`event ${event.type} not published: ${String(error)}`);
  }
}

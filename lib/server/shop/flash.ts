import "server-only";
/**
 * Flash messages kept in the session (like django.contrib.messages with its
 * session storage): written by one request, shown by the next page, then
 * removed once the browser has shown them.
 */
import { randomBytes } from "node:crypto";
import type { Session } from "@/lib/session";
import { FLASH_KEY } from "../../node/shop-keys.ts";

export { FLASH_KEY };
const MAX_MESSAGES = 10;

export type FlashLevel = "info" | "success" | "warning" | "error";

export interface FlashMessage {
  readonly id: string;
  readonly level: FlashLevel;
  readonly text: string;
}

function messages(value: unknown): FlashMessage[] {
  return Array.isArray(value)
    ? value.filter((m): m is FlashMessage => typeof m?.id === "string" && typeof m?.text === "string" && typeof m?.level === "string")
    : [];
}

export function addFlash(session: Session, level: FlashLevel, text: string): void {
  const message: FlashMessage = { id: randomBytes(6).toString("base64url"), level, text };
  session.modify<FlashMessage[]>(FLASH_KEY, (value) => [...messages(value), message].slice(-MAX_MESSAGES));
}

export function peekFlash(session: Session): FlashMessage[] {
  return messages(session.get(FLASH_KEY));
}

/** Removes the messages the browser has shown; leaves any that arrived meanwhile. */
export function acknowledgeFlash(session: Session, ids: readonly string[]): void {
  const current = messages(session.get(FLASH_KEY));
  if (!current.some((m) => ids.includes(m.id))) return;
  session.modify<FlashMessage[] | undefined>(FLASH_KEY, (value) => {
    const left = messages(value).filter((m) => !ids.includes(m.id));
    return left.length ? left : undefined;
  });
}

import { readSession } from "@/lib/server/session/next";
import { peekFlash } from "@/lib/server/shop/flash";
import { FlashMessages } from "./flash-messages";

/** Reads the flash messages from the session on the server (peek: nothing is removed until the browser acks). */
export async function FlashArea() {
  const { session } = await readSession();
  return <FlashMessages messages={peekFlash(session)} />;
}

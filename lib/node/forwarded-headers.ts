import http from "node:http";
import { getEnv } from "../node/env.ts";

const FORWARDED = ["x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "forwarded", "x-real-ip"];
let installed = false;

export function stripUntrustedForwardedHeaders(): void {
  if (installed || getEnv().TRUST_PROXY) return;
  installed = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") {
      const request = args[0] as http.IncomingMessage;
      for (const name of FORWARDED) delete request.headers[name];
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof emit;
}

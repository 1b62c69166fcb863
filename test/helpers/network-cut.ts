// A network fault between a client and a real server: a TCP relay on 127.0.0.1 that
// can be cut (every open connection is reset and new ones are refused, as when a
// cache's host drops off the network) and restored. Nothing sent while cut arrives
// later, unlike a paused server, whose socket still takes the bytes.
import { createConnection, createServer, type Server, type Socket } from "node:net";

export interface NetworkCut {
  /** The relay's port: point the client here instead of at the server. */
  readonly port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function relayWithCut(targetPort: number, targetHost = "127.0.0.1"): Promise<NetworkCut> {
  const open = new Set<Socket>();
  let isCut = false;
  const server: Server = createServer((client) => {
    if (isCut) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ port: targetPort, host: targetHost });
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on("close", () => open.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    cut() {
      isCut = true;
      for (const socket of open) socket.resetAndDestroy();
    },
    restore() {
      isCut = false;
    },
    close() {
      for (const socket of open) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

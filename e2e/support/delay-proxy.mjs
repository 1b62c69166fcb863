// A TCP proxy that holds every chunk, either way, for a delay the parent sets: a slow network
// or an overloaded database server, as the app sees it. Runs in its own process (forked by
// e2e/support/faults-db.ts), so the test's own blocking calls never stall it.
//   argv: <target port>; messages in: { delayMs }; messages out: { port } once, { delayMs } as acknowledgement.
import { connect, createServer } from "node:net";

const targetPort = Number(process.argv[2]);
let delayMs = 0;

/** Writes what `from` sends to `to`, each chunk `delayMs` after it came, in order. */
function relay(from, to) {
  const queue = [];
  let timer = null;
  const pump = () => {
    timer = null;
    while (queue.length > 0 && queue[0].due <= Date.now()) to.write(queue.shift().chunk);
    if (queue.length > 0) timer = setTimeout(pump, queue[0].due - Date.now());
  };
  from.on("data", (chunk) => {
    const last = queue.at(-1)?.due ?? 0;
    queue.push({ chunk, due: Math.max(Date.now() + delayMs, last) });
    if (timer === null) pump();
  });
}

const server = createServer((client) => {
  const upstream = connect(targetPort, "127.0.0.1");
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  for (const socket of [client, upstream]) {
    socket.on("error", close);
    socket.on("close", close);
  }
  relay(client, upstream);
  relay(upstream, client);
});

server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
process.on("message", (message) => {
  delayMs = message.delayMs;
  process.send({ delayMs });
});
process.on("disconnect", () => process.exit(0));

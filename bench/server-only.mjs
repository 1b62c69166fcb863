// Lets the benchmarks import the dashboard's data layer outside Next: `server-only`
// resolves to its empty module, as on Next's server (and in vitest.config.ts).
import { register } from "node:module";

const empty = new URL("../node_modules/server-only/empty.js", import.meta.url).href;

register(
  "data:text/javascript," +
    encodeURIComponent(`
      export async function resolve(specifier, context, next) {
        if (specifier === "server-only") return { url: ${JSON.stringify(empty)}, shortCircuit: true };
        return next(specifier, context);
      }`),
  import.meta.url,
);

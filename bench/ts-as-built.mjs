// Compiles the benchmarks' TypeScript the way the production build compiles the
// app: types stripped, nothing added. tsx alone compiles with esbuild's
// `keepNames`, which wraps every function and class in a `__name(fn, "name")`
// call at run time; `next build` does not, and the wrappers cost SessionScope's
// hot paths (closures made per call) measurable time: 6 to 9 % of a SQLite
// load-modify-save in a paired run. Every TypeScript bench runs as
//
//   node --import ./bench/ts-as-built.mjs bench/<file>.ts
//
// tsx still resolves modules (the `@/` alias, `.ts` specifiers, CommonJS); this
// hook, registered after it, runs first and compiles each ES module .ts file
// with the same esbuild, target this Node, without keepNames. Stack traces keep
// their source positions through an inline source map.
import "tsx";
import { register } from "node:module";

register(new URL("./ts-as-built-hooks.mjs", import.meta.url));

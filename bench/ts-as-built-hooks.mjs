// The module hooks of bench/ts-as-built.mjs (they run on Node's loader thread).
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";

const TYPESCRIPT = /\.m?ts$/;

const tsconfig = JSON.parse(await readFile(new URL("../tsconfig.json", import.meta.url), "utf8"));
const options = {
  loader: "ts",
  format: "esm",
  target: `node${process.versions.node}`,
  sourcemap: "inline",
  tsconfigRaw: { compilerOptions: tsconfig.compilerOptions },
};

export async function load(url, context, nextLoad) {
  const path = url.startsWith("file:") ? fileURLToPath(url.split("?")[0]) : null;
  if (!path || !TYPESCRIPT.test(path) || path.includes("/node_modules/")) return nextLoad(url, context);
  const source = await readFile(path, "utf8");
  const { code } = await transform(source, { ...options, sourcefile: path });
  return { format: "module", source: code, shortCircuit: true };
}

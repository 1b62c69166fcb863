#!/usr/bin/env node
// `npx sessionscope <command>`: runs the command line bundled to plain JavaScript
// (scripts/cli-bundle.mjs), bundling it first when it is missing or older than
// its sources; from source through tsx when it cannot be bundled.
import { pathToFileURL } from "node:url";
import { buildCli, freshBundle } from "../scripts/cli-bundle.mjs";

let entry = freshBundle();
if (!entry) {
  try {
    entry = await buildCli();
  } catch (error) {
    process.stderr.write(`sessionscope: could not bundle the command line (${String(error.message ?? error).split("\n")[0]}); running it from source\n`);
  }
}
if (entry) {
  await import(pathToFileURL(entry).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../cli/main.ts");
}

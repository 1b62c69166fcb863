#!/usr/bin/env node
// `npx sessionscope <command>`: runs the TypeScript CLI through tsx.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../cli/index.ts");
const { processIo } = await import("../cli/io.ts");
process.exitCode = await runCli(process.argv.slice(2), process.env, processIo);

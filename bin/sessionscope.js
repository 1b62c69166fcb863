#!/usr/bin/env node
// `npx sessionscope <command>`: runs the TypeScript CLI through tsx.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/index.ts");
process.exitCode = await main(process.argv.slice(2));

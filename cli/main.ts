/** The program behind the `sessionscope` bin: bundled by scripts/cli-bundle.mjs, or run from source through tsx. */
import { runCli } from "./index.ts";
import { processIo } from "./io.ts";

process.exitCode = await runCli(process.argv.slice(2), process.env, processIo);

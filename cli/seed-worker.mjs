// Worker threads do not inherit the parent's tsx hooks: register them, then run the TypeScript worker.
import { register } from "tsx/esm/api";

register();
await import("./seed-worker.ts");

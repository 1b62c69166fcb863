import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const PYTHON = "/usr/bin/python3";
const BRIDGE = join(fileURLToPath(new URL(".", import.meta.url)), "..", "django", "session_bridge.py");

/**
 * Whether Debian's Django can be run. Under CI=true a missing Django throws,
 * so its suites fail instead of skipping.
 */
export function djangoAvailable(): boolean {
  const ok = existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import django"], { stdio: "ignore" }).status === 0;
  if (!ok && process.env.CI === "true") {
    throw new Error("Django is not installed for /usr/bin/python3 (apt-get install -y python3-django); CI=true requires it");
  }
  if (!ok) console.warn("!!! Django (python3-django) is not installed: Django interop tests are SKIPPED");
  return ok;
}

/** Sends one request to real Django (test/django/session_bridge.py) and returns its answer. */
export function askDjango<T>(request: Record<string, unknown>): T {
  const result = spawnSync(PYTHON, [BRIDGE], { input: JSON.stringify(request), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`Django bridge failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

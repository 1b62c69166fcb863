// Real PostgreSQL, Redis and Memcached servers for the test run, on 127.0.0.1, in
// temporary folders outside the repository, each stopped by its own PID.
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, chmodSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function which(name) {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

export function findPostgresBin() {
  const base = "/usr/lib/postgresql";
  if (existsSync(base)) {
    const versions = readdirSync(base).filter((v) => existsSync(join(base, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(base, versions[0], "bin");
  }
  const initdb = which("initdb");
  return initdb ? initdb.replace(/\/initdb$/, "") : null;
}

export function findRedisServer() {
  return which("redis-server");
}

export function findMemcached() {
  return which("memcached");
}

const isRoot = process.getuid?.() === 0;

function postgresUid() {
  const line = readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith("postgres:"));
  if (!line) throw new Error("SessionScope tests: running as root needs a 'postgres' system user (Debian's postgresql package creates it)");
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

function asPostgres(command, args) {
  const [cmd, argv] = isRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
  const result = spawnSync(cmd, argv, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  return result.stdout;
}

export async function startPostgres() {
  const bin = findPostgresBin();
  if (!bin) return null;
  const dir = mkdtempSync(join(tmpdir(), "sessionscope-pg-"));
  const data = join(dir, "data");
  const sock = join(dir, "sock");
  mkdirSync(data);
  mkdirSync(sock);
  if (isRoot) {
    const { uid, gid } = postgresUid();
    for (const path of [dir, data, sock]) chownSync(path, uid, gid);
  }
  chmodSync(data, 0o700);
  const port = await freePort();
  asPostgres(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
  const launch = () => {
    asPostgres(join(bin, "pg_ctl"), [
      "-D", data, "-l", join(dir, "server.log"), "-w", "-o",
      `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${sock} -c fsync=off -c max_connections=200`,
      "start",
    ]);
    return Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
  };
  let pid = launch();
  let running = true;
  execFileSync(join(bin, "createdb"), ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "sessionscope"]);
  return {
    name: "postgresql",
    get pid() {
      return pid;
    },
    url: `postgresql://postgres@127.0.0.1:${port}/sessionscope`,
    port,
    /** Stops it as an operator's restart does (fast shutdown: sessions ended, work in flight rolled back); the data stays. */
    down() {
      asPostgres(join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]);
      running = false;
    },
    /** Starts it again on the same port and data. */
    up() {
      pid = launch();
      running = true;
    },
    stop() {
      if (running) {
        try {
          asPostgres(join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]);
        } catch {
          try { process.kill(pid, "SIGTERM"); } catch {}
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A redis-server on 127.0.0.1 in a temp folder. `persistent: true` keeps an append-only file,
 * so that `down()` (SIGTERM: Redis writes it out and exits) and `up()` (a new server on the same
 * port and folder) are a restart that keeps every entry, as a production Redis's would.
 */
export async function startRedis({ persistent = false } = {}) {
  const server = findRedisServer();
  if (!server) return null;
  const dir = mkdtempSync(join(tmpdir(), "sessionscope-redis-"));
  const port = await freePort();
  const pidfile = join(dir, "redis.pid");
  const launch = async () => {
    rmSync(pidfile, { force: true });
    execFileSync(server, [
      "--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", persistent ? "yes" : "no", "--dir", dir,
      "--daemonize", "yes", "--pidfile", pidfile, "--logfile", join(dir, "redis.log"),
    ]);
    const pid = await readPidFile(pidfile);
    if (!pid) throw new Error(`redis-server on port ${port} did not write its pid file (see ${join(dir, "redis.log")})`);
    return pid;
  };
  let pid = await launch();
  return {
    name: "redis",
    get pid() {
      return pid;
    },
    url: `redis://127.0.0.1:${port}`,
    port,
    /** Stops it (by its PID, with a clean shutdown); the port stays closed until `up()`. */
    down() {
      stopPid(pid);
    },
    /** Starts it again on the same port (with what it kept, when persistent). */
    async up() {
      pid = await launch();
    },
    stop() {
      stopPid(pid);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// The daemon creates its pid file and then writes "<pid>\n": read it only once the line is whole,
// so a half-written number never names (and later signals) some other process.
async function readPidFile(pidfile) {
  for (let i = 0; i < 250; i++) {
    const text = existsSync(pidfile) ? readFileSync(pidfile, "utf8") : "";
    if (/^\d+\n$/.test(text)) return Number(text);
    await new Promise((r) => setTimeout(r, 20));
  }
  return 0;
}

/** Whether `pid` still runs (a zombie no init has reaped yet, as in some containers, has stopped). */
function isRunning(pid) {
  try { process.kill(pid, 0); } catch { return false; }
  try { return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8")); } catch { return true; }
}

function stopPid(pid, signal = "SIGTERM") {
  const alive = () => isRunning(pid);
  try { process.kill(pid, signal); } catch {}
  for (let i = 0; i < 100 && alive(); i++) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  // Still there after 2 s: it is ours (same pid file), so it goes without a shutdown.
  if (alive()) try { process.kill(pid, "SIGKILL"); } catch {}
}

/**
 * A memcached on 127.0.0.1 (TCP only, 64 MB). `restart()` kills it and starts an empty
 * one on the same port, as a crash and restart would: every entry is gone. `down()` and
 * `up()` do the same with an outage in between.
 */
export async function startMemcached() {
  const server = findMemcached();
  if (!server) return null;
  const dir = mkdtempSync(join(tmpdir(), "sessionscope-memcached-"));
  const port = await freePort();
  const pidfile = join(dir, "memcached.pid");
  // The daemon binds its port after it detaches: a port the killed one held a moment ago can
  // still refuse it (it then exits without a pid file), so a restart tries again briefly.
  const launch = async () => {
    for (let attempt = 1; ; attempt++) {
      rmSync(pidfile, { force: true });
      execFileSync(server, ["-l", "127.0.0.1", "-p", String(port), "-U", "0", "-m", "64", "-d", "-P", pidfile, ...(isRoot ? ["-u", "root"] : [])]);
      const pid = await readPidFile(pidfile);
      if (pid) return pid;
      if (attempt === 3) throw new Error(`memcached on port ${port} did not write its pid file (3 attempts)`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  let pid = await launch();
  return {
    name: "memcached",
    get pid() {
      return pid;
    },
    url: `memcached://127.0.0.1:${port}`,
    port,
    async restart() {
      stopPid(pid, "SIGKILL");
      pid = await launch();
    },
    /** Stops it (by its PID) and leaves the port closed until `up()`: an outage. */
    down() {
      stopPid(pid, "SIGKILL");
    },
    /** Starts an empty one on the same port again. */
    async up() {
      pid = await launch();
    },
    stop() {
      stopPid(pid);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const SERVICE_HINTS = {
  postgresql: "apt-get install -y postgresql",
  redis: "apt-get install -y redis-server",
  memcached: "apt-get install -y memcached python3-pymemcache",
  chromium: "apt-get install -y --no-install-recommends chromium",
  django: "apt-get install -y python3-django",
};

/**
 * Starts what is installed. A missing service is loud; under CI=true it is
 * an error, never a skip.
 */
export async function startServices({ ci = process.env.CI === "true" } = {}) {
  const started = [];
  const missing = [];
  const env = {};
  for (const [name, start, variable] of [
    ["postgresql", startPostgres, "SESSIONSCOPE_TEST_PG_URL"],
    ["redis", startRedis, "SESSIONSCOPE_TEST_REDIS_URL"],
    ["memcached", startMemcached, "SESSIONSCOPE_TEST_MEMCACHED_URL"],
  ]) {
    const service = await start();
    if (service) {
      started.push(service);
      env[variable] = service.url;
    } else {
      missing.push(name);
    }
  }
  if (missing.length) {
    const lines = missing.map((name) => `  ${name}: not installed (${SERVICE_HINTS[name]})`);
    const message = `SessionScope tests: missing services\n${lines.join("\n")}`;
    if (ci) {
      for (const service of started) service.stop();
      throw new Error(`${message}\nCI=true: a missing service fails the run.`);
    }
    console.warn(`\n!!!!!!!!!!\n${message}\nTheir suites are SKIPPED. Install them, or run with CI=true to make this an error.\n!!!!!!!!!!\n`);
    env.SESSIONSCOPE_TEST_MISSING = missing.join(",");
  }
  return {
    env,
    stop() {
      for (const service of started.reverse()) service.stop();
    },
  };
}

// Fetches what the Django test sites run with, without installing anything
// system-wide: Debian's .deb files are downloaded with a private apt
// configuration and unpacked with `dpkg -x` under var/django/<name>, which the
// sites then see through PYTHONPATH.
//   "3.2": Debian 12's python3-django (system) + psycopg2, redis-py, django-redis
//   "4.2": Debian 13's python3-django, asgiref, sqlparse + the same drivers
// Usage: node scripts/fetch-django.mjs [3.2|4.2]...   (prints each folder)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
export const DJANGO_CACHE = join(root, "var", "django");

// The drivers come from Debian 12: their C extensions are built for its Python 3.11.
const DRIVERS = [
  "python3-psycopg2/bookworm",
  "python3-redis/bookworm",
  "python3-django-redis/bookworm",
  // redis-py's own dependencies
  "python3-packaging/bookworm",
  "python3-deprecated/bookworm",
  "python3-wrapt/bookworm",
  "python3-async-timeout/bookworm",
];
export const DJANGO_PACKAGES = {
  "3.2": DRIVERS,
  "4.2": ["python3-django/trixie", "python3-asgiref/trixie", "python3-sqlparse/trixie", ...DRIVERS],
};

function mirror() {
  try {
    const sources = readFileSync("/etc/apt/sources.list.d/debian.sources", "utf8");
    const uri = /^URIs:\s*(\S+\/debian)\s*$/m.exec(sources)?.[1];
    if (uri) return uri;
  } catch {
    // no deb822 sources: use the default mirror
  }
  return "http://deb.debian.org/debian";
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8" });
  if (result.error || result.status !== 0) {
    throw new Error(`fetch-django: ${command} ${args.join(" ")} failed: ${result.error?.message ?? result.stderr}`);
  }
}

/** The folder holding `usr/lib/python3/dist-packages` for this Django; fetched on first use. */
export function fetchDjango(version) {
  const packages = DJANGO_PACKAGES[version];
  if (!packages) throw new Error(`fetch-django: unknown Django ${version} (use ${Object.keys(DJANGO_PACKAGES).join(" or ")})`);
  const target = join(DJANGO_CACHE, version);
  if (existsSync(join(target, "complete"))) return target;
  mkdirSync(DJANGO_CACHE, { recursive: true });
  const work = mkdtempSync(join(DJANGO_CACHE, `.fetch-${version}-`));
  try {
    const keyring = "/usr/share/keyrings/debian-archive-keyring.gpg";
    writeFileSync(join(work, "sources.list"), ["bookworm", "trixie"].map((suite) => `deb [signed-by=${keyring}] ${mirror()} ${suite} main\n`).join(""));
    for (const dir of ["lists/partial", "cache/archives/partial", "parts", "debs", "tree"]) mkdirSync(join(work, dir), { recursive: true });
    const apt = [
      `-o=Dir::Etc::SourceList=${join(work, "sources.list")}`,
      `-o=Dir::Etc::SourceParts=${join(work, "parts")}`,
      `-o=Dir::State::Lists=${join(work, "lists")}`,
      `-o=Dir::Cache=${join(work, "cache")}`,
      "-o=Acquire::Languages=none",
      "-o=Debug::NoLocking=1",
      "-qq",
    ];
    run("apt-get", [...apt, "update"], work);
    run("apt-get", [...apt, "download", ...packages], join(work, "debs"));
    for (const deb of readdirSync(join(work, "debs"))) run("dpkg", ["-x", join(work, "debs", deb), join(work, "tree")], work);
    writeFileSync(join(work, "tree", "complete"), `${packages.join("\n")}\n`);
    // Atomic: a concurrent fetch of the same version either wins or finds it done.
    try {
      renameSync(join(work, "tree"), target);
    } catch (error) {
      if (!existsSync(join(target, "complete"))) throw error;
    }
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const version of process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(DJANGO_PACKAGES)) {
    console.log(fetchDjango(version));
  }
}

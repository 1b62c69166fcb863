/**
 * What device a session is used from, read from its User-Agent with bowser:
 * for "your sessions" ("Firefox on Linux"), the dashboard's rows ("Firefox
 * 128 on Linux", a type, a browser, a system) and the short family string the
 * meta table keeps for the device filter ("desktop firefox linux"). Shared by
 * the app and the seed, so no server-only marker.
 */
import Bowser from "bowser";
import type { DeviceInfo } from "../admin-api.ts";

/** Clients bowser does not name: command-line tools and HTTP libraries. */
const TOOLS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^curl\/(\d+)/i, "curl"],
  [/python-(?:requests|urllib)\/(\d+)/i, "Python"],
  [/(?:node-fetch|undici|Node\.js)(?:\/(\d+))?/i, "Node.js"],
];

/** Shorter names where bowser's are long (the list's column is narrow). */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  "Microsoft Edge": "Edge",
  "Samsung Internet for Android": "Samsung Internet",
  "Chrome OS": "ChromeOS",
};

const short = (name: string | undefined): string | null => (name ? (SHORT_NAMES[name] ?? name) : null);
const major = (version: string | undefined): string | null => version?.match(/^\d+/)?.[0] ?? null;

function describe(browser: string | null, version: string | null, os: string | null): string {
  const name = browser && version ? `${browser} ${version}` : browser;
  if (name && os) return `${name} on ${os}`;
  return name ?? os ?? "Unknown device";
}

/**
 * User agents parsed lately, and their devices: a site's sessions come from a few hundred
 * browsers at most, and a page of the sessions list parses one per row (bowser took a quarter of
 * a page's time at a million sessions). Bounded: at most this many, each at most
 * CACHED_AGENT_CHARS long (longer ones are parsed every time); the oldest goes first.
 */
const CACHED_AGENTS = 512;
const CACHED_AGENT_CHARS = 512;
const parsed = new Map<string, DeviceInfo | null>();

/** The device behind a User-Agent; null when there is none. The same object for the same agent while it stays cached. */
export function parseDevice(userAgent: string | null | undefined): DeviceInfo | null {
  if (!userAgent) return null;
  const known = parsed.get(userAgent);
  if (known !== undefined) return known;
  const device = readDevice(userAgent);
  if (userAgent.length <= CACHED_AGENT_CHARS) {
    if (parsed.size >= CACHED_AGENTS) parsed.delete(parsed.keys().next().value!);
    parsed.set(userAgent, device === null ? null : Object.freeze(device));
  }
  return device;
}

function readDevice(userAgent: string): DeviceInfo | null {
  if (!userAgent.trim()) return null;
  const tool = TOOLS.find(([pattern]) => pattern.test(userAgent));
  if (tool) {
    const version = tool[0].exec(userAgent)?.[1] ?? null;
    return { type: "unknown", label: describe(tool[1], version, null), browser: tool[1], os: null };
  }
  const parsed = Bowser.parse(userAgent);
  // bowser reports headless Chrome (test browsers, scrapers) as plain Chrome.
  const browser = /HeadlessChrome\//.test(userAgent) ? "Headless Chrome" : short(parsed.browser.name);
  const os = short(parsed.os.name);
  const platform = parsed.platform.type;
  const type = platform === "desktop" || platform === "mobile" || platform === "tablet" || platform === "bot" ? platform : "unknown";
  return { type, label: describe(browser, major(parsed.browser.version), os), browser, os };
}

/** "Firefox on Linux": the browser and system without versions, for "your sessions". */
export function describeDevice(userAgent: string | null | undefined): string {
  const device = parseDevice(userAgent);
  return device ? describe(device.browser, null, device.os) : "Unknown device";
}

/** The normalised words of a name: "Headless Chrome" → "headless-chrome". */
const word = (name: string) => name.trim().toLowerCase().replace(/\s+/g, "-");

/**
 * The family the meta table keeps and the device filter matches, word by word:
 * type, browser, system ("desktop firefox linux", "mobile safari ios").
 */
export function deviceFamily(userAgent: string | null | undefined): string | null {
  const device = parseDevice(userAgent);
  if (!device) return null;
  return [device.type, device.browser, device.os].filter((part): part is string => !!part).map(word).join(" ").slice(0, 64);
}

/** A device filter's words, as deviceFamily writes them ("Firefox  Linux" → ["firefox", "linux"]). */
export function deviceFilterWords(filter: string): string[] {
  return filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
}

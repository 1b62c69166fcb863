import "server-only";
/**
 * Anomalies: where a session was seen from. The engines write a sighting only
 * when a request comes from another IP address or device family than the
 * last one recorded (and then flag the session); this module reads them back
 * for the detail, and names device families for people.
 */
import type { DeviceFamilyView, DeviceInfo, SessionSighting } from "@/lib/admin-api";
import type { AdminContext } from "./context.ts";

const DEVICE_TYPES = new Set<DeviceInfo["type"]>(["desktop", "mobile", "tablet", "bot", "unknown"]);
const SPELLING: Readonly<Record<string, string>> = { ios: "iOS", macos: "macOS", chromeos: "ChromeOS", "node.js": "Node.js", curl: "curl" };

const spell = (word: string) => SPELLING[word] ?? word.split("-").map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join(" ");

/** "desktop firefox linux" → { type: "desktop", label: "Firefox on Linux (desktop)" }. */
export function familyView(family: string | null): DeviceFamilyView | null {
  if (!family) return null;
  const [first = "unknown", ...rest] = family.split(" ");
  const type = DEVICE_TYPES.has(first as DeviceInfo["type"]) ? (first as DeviceInfo["type"]) : "unknown";
  const words = rest.map(spell);
  const name = words.length >= 2 ? `${words[0]} on ${words.slice(1).join(" ")}` : (words[0] ?? "Unknown device");
  return { family, type, label: type === "unknown" ? name : `${name} (${type})` };
}

/** A session's sightings, oldest first, each saying what changed from the one before. */
export async function readSightings(context: AdminContext, sessionKey: string): Promise<SessionSighting[]> {
  const rows = await context.prisma.sessionSighting.findMany({
    where: { sessionKey },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: { at: true, ip: true, device: true },
    take: 200,
  });
  return rows.map((row, index) => {
    const before = rows[index - 1];
    const changed: Array<"ip" | "device"> = [];
    if (before && before.ip !== row.ip) changed.push("ip");
    if (before && before.device !== row.device) changed.push("device");
    return { at: row.at.toISOString(), ip: row.ip, device: familyView(row.device), changed };
  });
}

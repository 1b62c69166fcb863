import { describe, expect, it } from "vitest";
import { deviceFamily } from "../../node/device.ts";
import { familyView } from "./sightings.ts";

describe("familyView", () => {
  it("names a device family for people, type last", () => {
    expect(familyView("desktop firefox linux")).toEqual({ family: "desktop firefox linux", type: "desktop", label: "Firefox on Linux (desktop)" });
    expect(familyView("mobile safari ios")?.label).toBe("Safari on iOS (mobile)");
    expect(familyView("mobile samsung-internet android")?.label).toBe("Samsung Internet on Android (mobile)");
    expect(familyView("desktop chrome macos")?.label).toBe("Chrome on macOS (desktop)");
  });

  it("reads what deviceFamily writes, tools and bots included", () => {
    expect(familyView(deviceFamily("curl/8.5.0"))).toEqual({ family: "unknown curl", type: "unknown", label: "curl" });
    expect(familyView(deviceFamily("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"))?.type).toBe("bot");
  });

  it("is null for a session never seen", () => {
    expect(familyView(null)).toBeNull();
  });
});

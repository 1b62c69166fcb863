import { describe, expect, it } from "vitest";
import { describeDevice, deviceFamily, deviceFilterWords, parseDevice } from "./device.ts";

const UA = {
  chromeWindows: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
  safariMac: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
  firefoxLinux: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
  iphone: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
  ipad: "Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
  headless: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0 Safari/537.36",
  edge: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
  googlebot: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  curl: "curl/8.4.0",
};

describe("describeDevice (your sessions)", () => {
  it.each([
    [UA.chromeWindows, "Chrome on Windows"],
    [UA.safariMac, "Safari on macOS"],
    [UA.firefoxLinux, "Firefox on Linux"],
    [UA.iphone, "Safari on iOS"],
    [UA.headless, "Headless Chrome on Linux"],
    [UA.edge, "Edge on Windows"],
    [UA.curl, "curl"],
    [null, "Unknown device"],
    ["", "Unknown device"],
    ["something nobody knows", "Unknown device"],
  ])("%s → %s", (ua, expected) => {
    expect(describeDevice(ua)).toBe(expected);
  });
});

describe("parseDevice (the dashboard's rows)", () => {
  it("names browser, major version, system and type", () => {
    expect(parseDevice(UA.firefoxLinux)).toEqual({ type: "desktop", label: "Firefox 128 on Linux", browser: "Firefox", os: "Linux" });
    expect(parseDevice(UA.iphone)).toEqual({ type: "mobile", label: "Safari 17 on iOS", browser: "Safari", os: "iOS" });
    expect(parseDevice(UA.ipad)?.type).toBe("tablet");
    expect(parseDevice(UA.googlebot)).toMatchObject({ type: "bot", browser: "Googlebot" });
    expect(parseDevice(UA.curl)).toEqual({ type: "unknown", label: "curl 8", browser: "curl", os: null });
    expect(parseDevice(null)).toBeNull();
    expect(parseDevice("   ")).toBeNull();
  });

  it("answers a user agent it has read from memory, and still reads every agent right once the memory is full", () => {
    const first = parseDevice(UA.safariMac);
    expect(parseDevice(UA.safariMac)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    // Many distinct agents push the first ones out; a long one is never kept, and reads the same each time.
    for (let i = 0; i < 2_000; i++) expect(parseDevice(`Mozilla/5.0 (X11; Linux x86_64; rv:${i}.0) Gecko/20100101 Firefox/${i}.0`)?.label).toBe(`Firefox ${i} on Linux`);
    expect(parseDevice(UA.safariMac)).toEqual({ type: "desktop", label: "Safari 17 on macOS", browser: "Safari", os: "macOS" });
    const long = `${UA.firefoxLinux} ${"x".repeat(1_000)}`;
    expect(parseDevice(long)).toEqual(parseDevice(long));
    expect(parseDevice(long)?.label).toBe("Firefox 128 on Linux");
  });
});

describe("deviceFamily (the meta table's device column)", () => {
  it("keeps type, browser and system as lowercase words", () => {
    expect(deviceFamily(UA.firefoxLinux)).toBe("desktop firefox linux");
    expect(deviceFamily(UA.iphone)).toBe("mobile safari ios");
    expect(deviceFamily(UA.headless)).toBe("desktop headless-chrome linux");
    expect(deviceFamily(UA.safariMac)).toBe("desktop safari macos");
    expect(deviceFamily(UA.curl)).toBe("unknown curl");
    expect(deviceFamily(undefined)).toBeNull();
  });

  it("splits a filter into the same words", () => {
    expect(deviceFilterWords("  Firefox   LINUX ")).toEqual(["firefox", "linux"]);
    expect(deviceFilterWords("   ")).toEqual([]);
  });
});

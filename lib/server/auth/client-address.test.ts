import { describe, expect, it } from "vitest";
import { addressKey } from "./client-address.ts";

describe("throttling key of a client address", () => {
  it("keeps IPv4 addresses whole", () => {
    expect(addressKey("203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("203.0.113.8")).not.toBe(addressKey("203.0.113.7"));
  });

  it("keys IPv6 addresses by their /64, however they are written", () => {
    const key = addressKey("2001:db8:1:2::1");
    expect(key).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:0DB8:0001:0002:ffff:ffff:ffff:ffff")).toBe(key);
    expect(addressKey("2001:db8:1:2:aaaa::9%eth0")).toBe(key);
    expect(addressKey("2001:db8:1:2::192.0.2.1")).toBe(key);
    expect(addressKey("2001:db8:1:3::1")).not.toBe(key);
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("2001:db8::")).toBe("2001:db8:0:0::/64");
  });

  it("puts requests without an address in one bucket", () => {
    expect(addressKey(null)).toBe("unknown");
    expect(addressKey("")).toBe("unknown");
  });
});

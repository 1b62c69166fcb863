/** The demo shop's catalogue: small, plausible, and stable across seeds. */
export interface CatalogueItem {
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly priceCents: number;
  readonly imageHue: number;
  readonly stock: number;
}

export const CATALOGUE: readonly CatalogueItem[] = [
  { slug: "signed-mug", name: "Signed Mug", description: "Stoneware mug with an HMAC-SHA256 glaze. Holds 350 ml; tamper-evident.", priceCents: 1400, imageHue: 18, stock: 40 },
  { slug: "cookie-jar", name: "Cookie Jar", description: "Keeps 4096 bytes of cookies fresh. HttpOnly lid, SameSite=Lax seal.", priceCents: 2400, imageHue: 36, stock: 25 },
  { slug: "expiry-hourglass", name: "Expiry Hourglass", description: "Runs for exactly 1,209,600 seconds. Flip it to cycle the key.", priceCents: 3200, imageHue: 48, stock: 12 },
  { slug: "base62-socks", name: "Base62 Socks", description: "Two socks, 62 symbols, no padding. Merino wool.", priceCents: 1200, imageHue: 200, stock: 80 },
  { slug: "rotation-key-ring", name: "Rotation Key Ring", description: "A key ring with room for your secret key and all its fallbacks.", priceCents: 900, imageHue: 260, stock: 60 },
  { slug: "flush-notebook", name: "Flush Notebook", description: "A5 dot-grid notebook. Tear out a page and the session starts anew.", priceCents: 1100, imageHue: 140, stock: 50 },
  { slug: "zlib-tote", name: "zlib Tote", description: "Compresses your shopping by at least two bytes, or not at all.", priceCents: 1800, imageHue: 170, stock: 30 },
  { slug: "middleware-hoodie", name: "Middleware Hoodie", description: "Sits between you and the weather. Adds Vary: Cookie.", priceCents: 5200, imageHue: 300, stock: 15 },
];

export interface DemoAccount {
  readonly username: string;
  readonly role: "admin" | "security" | "viewer" | null;
  readonly firstName: string;
  readonly isStaff: boolean;
  readonly isSuperuser: boolean;
}

/** Each demo account's password is `demo-<username>`. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: "admin", role: "admin", firstName: "Ada", isStaff: true, isSuperuser: true },
  { username: "security", role: "security", firstName: "Sam", isStaff: true, isSuperuser: false },
  { username: "viewer", role: "viewer", firstName: "Vic", isStaff: true, isSuperuser: false },
  { username: "alice", role: null, firstName: "Alice", isStaff: false, isSuperuser: false },
  { username: "bob", role: null, firstName: "Bob", isStaff: false, isSuperuser: false },
];

export const demoPassword = (username: string): string => `demo-${username}`;

import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import "./globals.css";

// Every page reads the session (header, flash messages), so none can be prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "SessionScope Shop", template: "%s · SessionScope" },
  description: "A reference shop running on SessionScope, Django's session framework for Next.js.",
  icons: { icon: "/favicon.svg" },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The Content-Security-Policy nonce proxy.ts made for this response.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en">
      <body className="min-h-screen bg-stone-50 font-sans text-stone-900 antialiased">
        <Providers nonce={nonce}>{children}</Providers>
      </body>
    </html>
  );
}

import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { displayTimeZone } from "@/lib/dashboard/time-zone";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Fulfillment Hub", template: "%s · Fulfillment Hub" },
  description: "Orders, shipments and exceptions across every account of the warehouse.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <Providers timeZone={displayTimeZone()}>{children}</Providers>
      </body>
    </html>
  );
}

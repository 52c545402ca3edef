import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: "Steward",
  description: "Data-access governance for Trino",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}

/**
 * On every response: no page may be framed (clickjacking), and no response is content-sniffed. next.config.ts
 * sends them on everything Next answers; the view API's fast lane (lib/server/view-api-endpoints.ts) on its own.
 */
export const SECURITY_HEADERS: readonly { key: string; value: string }[] = [
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
];

// Webhook delivery: no database here (lib/server/webhooks.ts picks the hooks), so it is tested against a
// real HTTP server in vitest. Best effort: one POST with a short timeout, never throws, never retries.
import { createHmac } from "node:crypto";

export const SIGNATURE_HEADER = "x-steward-signature";
export const EVENT_HEADER = "x-steward-event";
export const DELIVERY_HEADER = "x-steward-delivery";

export interface WebhookEvent {
  id: string;
  action: string;
  targetType: string;
  targetId: string | null;
  actor: string;
  details: unknown;
  createdAt: string;
}

export interface WebhookTarget {
  url: string;
  secret: string | null;
}

export type DeliveryResult = { ok: true; status: number } | { ok: false; status?: number; error: string };

/** `sha256=<hex HMAC-SHA256 of the raw body>`, as GitHub does: receivers recompute it over the bytes they got. */
export function signPayload(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/** `*` matches everything, `user.*` every `user.<x>` action, anything else only itself. */
export function matchesEvent(patterns: readonly string[], action: string): boolean {
  return patterns.some((p) => p === "*" || p === action || (p.endsWith(".*") && action.startsWith(p.slice(0, -1))));
}

export async function deliverWebhook(target: WebhookTarget, event: WebhookEvent, opts: { timeoutMs?: number } = {}): Promise<DeliveryResult> {
  const body = JSON.stringify(event);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "Steward-Webhook/1",
    [EVENT_HEADER]: event.action,
    [DELIVERY_HEADER]: event.id,
  };
  if (target.secret) headers[SIGNATURE_HEADER] = signPayload(target.secret, body);
  try {
    const res = await fetch(target.url, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
    });
    await res.body?.cancel().catch(() => {});
    return res.ok ? { ok: true, status: res.status } : { ok: false, status: res.status, error: `HTTP ${res.status}` };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    return { ok: false, error: e.name === "TimeoutError" ? "timed out" : (e.cause?.code ?? e.message) };
  }
}

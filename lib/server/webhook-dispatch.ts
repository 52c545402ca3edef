import "server-only";
import type { AuditEvent } from "@/generated/prisma/client";
import { getDb } from "./db";
import { deliverWebhook, matchesEvent, type WebhookEvent } from "./webhook-delivery";

export type AuditEventRow = AuditEvent;

export function toWebhookEvent(row: AuditEventRow): WebhookEvent {
  return {
    id: row.id,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    actor: row.actorName,
    details: row.details ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Fire-and-forget: called after the change committed; failures are logged, never retried. */
export function notifyWebhooks(row: AuditEventRow): void {
  void (async () => {
    const db = await getDb();
    const hooks = await db.webhook.findMany({ where: { enabled: true } });
    const event = toWebhookEvent(row);
    await Promise.all(
      hooks
        .filter((h) => matchesEvent(h.events, row.action))
        .map(async (h) => {
          const result = await deliverWebhook({ url: h.url, secret: h.secret }, event);
          if (!result.ok) console.warn(`[steward] webhook ${h.id} (${h.url}) did not take ${row.action}: ${result.error}`);
        }),
    );
  })().catch((error) => console.warn("[steward] webhook dispatch failed:", error));
}

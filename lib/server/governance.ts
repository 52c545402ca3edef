import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { getDb } from "./db";
import { notifyWebhooks, type AuditEventRow } from "./webhook-dispatch";
import { epochMoved } from "./epoch-signal";

export type Tx = Prisma.TransactionClient;

export interface AuditInput {
  action: string;
  targetType: string;
  targetId?: string | null;
  details?: Prisma.InputJsonValue;
}

/**
 * Every governance change goes through here: the change, its audit event and (when it can alter any
 * user's view) the epoch bump commit together or not at all.
 */
export async function governanceWrite<T>(
  actor: { id: string | null; username: string } | null,
  opts: { bumpEpoch: boolean },
  fn: (tx: Tx) => PromiseLike<T>,
  audit: (result: T) => AuditInput,
): Promise<T> {
  const db = await getDb();
  let recorded: AuditEventRow | undefined;
  let bumped: number | undefined;
  const out = await db.$transaction(async (tx) => {
    const result = await fn(tx);
    const event = audit(result);
    recorded = await tx.auditEvent.create({
      data: {
        actorId: actor?.id ?? null,
        actorName: actor?.username ?? "system",
        action: event.action,
        targetType: event.targetType,
        targetId: event.targetId ?? null,
        details: event.details,
      },
    });
    if (opts.bumpEpoch) bumped = await bumpEpoch(tx);
    return result;
  });
  // After commit only, and never awaited: a slow or failing subscriber cannot block or undo a change.
  if (recorded) notifyWebhooks(recorded);
  if (bumped !== undefined) epochMoved(bumped);
  return out;
}

export async function bumpEpoch(tx: Tx): Promise<number> {
  const row = await tx.epoch.upsert({
    where: { id: 1 },
    create: { id: 1, value: 1 },
    update: { value: { increment: 1 } },
  });
  return row.value;
}

export async function readEpoch(): Promise<number> {
  const db = await getDb();
  const row = await db.epoch.findUnique({ where: { id: 1 } });
  return row?.value ?? 0;
}

import "server-only";
import { hasAnyRole } from "@/lib/roles";
import type { Actor } from "./actor";
import { assertCanManageDataSource } from "./data-sources";
import { getDb } from "./db";
import { ConflictError, NotFoundError, ValidationError } from "./errors";
import { governanceWrite } from "./governance";

function expiry(maxDays: number | null | undefined, from: Date): Date | null {
  return maxDays ? new Date(from.getTime() + maxDays * 86_400_000) : null;
}

/** OPEN: active at once; APPROVAL: pending until an owner or governor decides; AUTO and MANUAL: not requestable. */
export async function requestSubscription(actor: Actor, dataSourceId: string, reason?: string) {
  const db = await getDb();
  const ds = await db.dataSource.findUnique({ where: { id: dataSourceId }, include: { subscription: true } });
  if (!ds || ds.status !== "ACTIVE") throw new NotFoundError("No such data source.");
  const type = ds.subscription?.type ?? "APPROVAL";
  if (type === "AUTO") throw new ValidationError("Access to this data source is granted automatically to users who match its condition.");
  if (type === "MANUAL") throw new ValidationError("Only the owners of this data source add subscribers.");
  if (type === "APPROVAL" && !reason?.trim()) throw new ValidationError("Say why you need access.", { reason: ["Say why you need access."] });
  const existing = await db.subscription.findUnique({ where: { dataSourceId_userId: { dataSourceId, userId: actor.id } } });
  const now = new Date();
  // An ACTIVE grant past its expiry no longer counts: its holder may ask again.
  const lapsed = existing?.state === "ACTIVE" && existing.expiresAt !== null && existing.expiresAt <= now;
  if (existing && !lapsed && (existing.state === "ACTIVE" || existing.state === "PENDING")) {
    throw new ConflictError(existing.state === "ACTIVE" ? "You are already subscribed." : "Your request is already pending.");
  }
  const state = type === "OPEN" ? "ACTIVE" : "PENDING";
  const data = {
    state,
    reason: reason?.trim() || null,
    requestedAt: now,
    decidedAt: state === "ACTIVE" ? now : null,
    decidedById: null,
    decisionReason: null,
    expiresAt: state === "ACTIVE" ? expiry(ds.subscription?.maxDays, now) : null,
  } as const;
  return governanceWrite(
    actor,
    { bumpEpoch: state === "ACTIVE" },
    (tx) =>
      tx.subscription.upsert({
        where: { dataSourceId_userId: { dataSourceId, userId: actor.id } },
        create: { dataSourceId, userId: actor.id, ...data },
        update: data,
      }),
    (s) => ({ action: "subscription.request", targetType: "subscription", targetId: s.id, details: { dataSourceId, state } }),
  );
}

async function decide(actor: Actor, subscriptionId: string, approve: boolean, reason?: string) {
  const db = await getDb();
  const sub = await db.subscription.findUnique({ where: { id: subscriptionId }, include: { dataSource: { include: { subscription: true } } } });
  if (!sub) throw new NotFoundError("No such subscription request.");
  await assertCanManageDataSource(db, actor, sub.dataSourceId);
  if (sub.state !== "PENDING") throw new ConflictError(`This request is already ${sub.state.toLowerCase()}.`);
  const now = new Date();
  return governanceWrite(
    actor,
    { bumpEpoch: approve },
    (tx) =>
      tx.subscription.update({
        where: { id: sub.id },
        data: {
          state: approve ? "ACTIVE" : "DENIED",
          decidedById: actor.id,
          decidedAt: now,
          decisionReason: reason?.trim() || null,
          expiresAt: approve ? expiry(sub.dataSource.subscription?.maxDays, now) : null,
        },
      }),
    () => ({ action: approve ? "subscription.approve" : "subscription.deny", targetType: "subscription", targetId: sub.id, details: { reason: reason ?? null } }),
  );
}

export const approveSubscription = (actor: Actor, id: string, reason?: string) => decide(actor, id, true, reason);
export const denySubscription = (actor: Actor, id: string, reason?: string) => decide(actor, id, false, reason);

/** A user may give up their own access; owners and governors may revoke anyone's. */
export async function revokeSubscription(actor: Actor, subscriptionId: string, reason?: string) {
  const db = await getDb();
  const sub = await db.subscription.findUnique({ where: { id: subscriptionId } });
  if (!sub) throw new NotFoundError("No such subscription.");
  if (sub.userId !== actor.id) await assertCanManageDataSource(db, actor, sub.dataSourceId);
  if (sub.state !== "ACTIVE" && sub.state !== "PENDING") throw new ConflictError(`This subscription is already ${sub.state.toLowerCase()}.`);
  return governanceWrite(
    actor,
    { bumpEpoch: true },
    (tx) => tx.subscription.update({ where: { id: sub.id }, data: { state: "REVOKED", decidedById: actor.id, decidedAt: new Date(), decisionReason: reason?.trim() || null } }),
    () => ({ action: "subscription.revoke", targetType: "subscription", targetId: sub.id, details: { reason: reason ?? null } }),
  );
}

/** MANUAL (and any other type): owners add a user directly. */
export async function addSubscriber(actor: Actor, dataSourceId: string, username: string) {
  const db = await getDb();
  const ds = await assertCanManageDataSource(db, actor, dataSourceId);
  const user = await db.user.findUnique({ where: { username: username.trim().toLowerCase() } });
  if (!user) throw new NotFoundError(`No user '${username}'.`);
  const policy = await db.subscriptionPolicy.findUnique({ where: { dataSourceId } });
  const now = new Date();
  const data = { state: "ACTIVE" as const, decidedById: actor.id, decidedAt: now, expiresAt: expiry(policy?.maxDays, now), decisionReason: null };
  return governanceWrite(
    actor,
    { bumpEpoch: true },
    (tx) =>
      tx.subscription.upsert({
        where: { dataSourceId_userId: { dataSourceId, userId: user.id } },
        create: { dataSourceId, userId: user.id, ...data },
        update: data,
      }),
    (s) => ({ action: "subscription.add", targetType: "subscription", targetId: s.id, details: { dataSourceId: ds.id, username: user.username } }),
  );
}

/** Requests the actor may decide: all for governors, those on owned data sources for owners. */
export async function listInbox(actor: Actor) {
  const db = await getDb();
  const scope = hasAnyRole(actor.roles, ["GOVERNOR"]) ? {} : { dataSource: { owners: { some: { userId: actor.id } } } };
  return db.subscription.findMany({
    where: { state: "PENDING", ...scope },
    include: { user: { select: { username: true } }, dataSource: { select: { id: true, governedSchema: true, name: true } } },
    orderBy: { requestedAt: "asc" },
  });
}

export async function listMySubscriptions(actor: Actor) {
  const db = await getDb();
  return db.subscription.findMany({
    where: { userId: actor.id },
    include: { dataSource: { select: { id: true, governedSchema: true, name: true } } },
    orderBy: { requestedAt: "desc" },
  });
}


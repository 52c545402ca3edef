import "server-only";
import { hasAnyRole } from "@/lib/roles";
import type { Actor } from "./actor";
import { assertCanManageDataSource } from "./data-sources";
import { getDb } from "./db";
import { ConflictError, isUniqueViolation, NotFoundError, ValidationError } from "./errors";
import { governanceWrite, type Tx } from "./governance";


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
  const alreadyAsked = async (tx: Tx) => {
    const now = await tx.subscription.findUnique({ where: { dataSourceId_userId: { dataSourceId, userId: actor.id } }, select: { state: true } });
    if (now?.state === "ACTIVE") return new ConflictError("You are already subscribed.");
    if (now?.state === "PENDING") return new ConflictError("Your request is already pending.");
    return new ConflictError("Your subscription changed at the same moment: reload and try again.");
  };
  try {
    return await governanceWrite(
      actor,
      { bumpEpoch: state === "ACTIVE" },
      async (tx) => {
        if (!existing) return tx.subscription.create({ data: { dataSourceId, userId: actor.id, ...data } });
        // only from the state this request was checked against: a concurrent request or decision makes it a 409
        const { count } = await tx.subscription.updateMany({ where: { id: existing.id, version: existing.version }, data: { ...data, version: { increment: 1 } } });
        if (count === 0) throw await alreadyAsked(tx);
        return tx.subscription.findUniqueOrThrow({ where: { id: existing.id } });
      },
      (s) => ({
        action: "subscription.request",
        targetType: "subscription",
        targetId: s.id,
        details: { dataSourceId, view: `${ds.governedSchema}.${ds.name}`, username: actor.username, state, reason: data.reason, expiresAt: s.expiresAt?.toISOString() ?? null },
      }),
    );
  } catch (error) {
    // a concurrent first request created the row
    if (isUniqueViolation(error)) throw await alreadyAsked(db);
    throw error;
  }
}

/** Why a write found 0 rows in the state and version it checked (read inside its transaction). */
async function stateMoved(tx: Tx, id: string, what: "request" | "subscription", open: readonly string[]): Promise<ConflictError | NotFoundError> {
  const now = await tx.subscription.findUnique({ where: { id }, select: { state: true } });
  if (!now) return new NotFoundError(`No such subscription${what === "request" ? " request" : ""}.`);
  if (open.includes(now.state)) return new ConflictError(`This ${what} changed since you opened it: reload to see it.`);
  return new ConflictError(`This ${what} is already ${now.state.toLowerCase()}.`);
}

async function decide(actor: Actor, subscriptionId: string, approve: boolean, reason?: string) {
  const db = await getDb();
  const sub = await db.subscription.findUnique({
    where: { id: subscriptionId },
    include: { dataSource: { include: { subscription: true } }, user: { select: { username: true } } },
  });
  if (!sub) throw new NotFoundError("No such subscription request.");
  await assertCanManageDataSource(db, actor, sub.dataSourceId);
  if (sub.state !== "PENDING") throw new ConflictError(`This request is already ${sub.state.toLowerCase()}.`);
  const now = new Date();
  return governanceWrite(
    actor,
    { bumpEpoch: approve },
    async (tx) => {
      // decided only while still the pending request that was checked: of an approve and a deny at once, one wins
      const { count } = await tx.subscription.updateMany({
        where: { id: sub.id, state: "PENDING", version: sub.version },
        data: {
          state: approve ? "ACTIVE" : "DENIED",
          decidedById: actor.id,
          decidedAt: now,
          decisionReason: reason?.trim() || null,
          expiresAt: approve ? expiry(sub.dataSource.subscription?.maxDays, now) : null,
          version: { increment: 1 },
        },
      });
      if (count === 0) throw await stateMoved(tx, sub.id, "request", ["PENDING"]);
      return tx.subscription.findUniqueOrThrow({ where: { id: sub.id } });
    },
    // who got (or was refused) what, in the event itself: it outlives the subscription and the data source
    (s) => ({
      action: approve ? "subscription.approve" : "subscription.deny",
      targetType: "subscription",
      targetId: sub.id,
      details: {
        dataSourceId: sub.dataSourceId,
        view: `${sub.dataSource.governedSchema}.${sub.dataSource.name}`,
        username: sub.user.username,
        reason: reason ?? null,
        expiresAt: s.expiresAt?.toISOString() ?? null,
      },
    }),
  );
}

export const approveSubscription = (actor: Actor, id: string, reason?: string) => decide(actor, id, true, reason);
export const denySubscription = (actor: Actor, id: string, reason?: string) => decide(actor, id, false, reason);

/** A user may give up their own access; owners and governors may revoke anyone's. */
export async function revokeSubscription(actor: Actor, subscriptionId: string, reason?: string) {
  const db = await getDb();
  const sub = await db.subscription.findUnique({
    where: { id: subscriptionId },
    include: { dataSource: { select: { governedSchema: true, name: true } }, user: { select: { username: true } } },
  });
  if (!sub) throw new NotFoundError("No such subscription.");
  if (sub.userId !== actor.id) await assertCanManageDataSource(db, actor, sub.dataSourceId);
  if (sub.state !== "ACTIVE" && sub.state !== "PENDING") throw new ConflictError(`This subscription is already ${sub.state.toLowerCase()}.`);
  return governanceWrite(
    actor,
    { bumpEpoch: true },
    async (tx) => {
      const { count } = await tx.subscription.updateMany({
        where: { id: sub.id, state: { in: ["ACTIVE", "PENDING"] }, version: sub.version },
        data: { state: "REVOKED", decidedById: actor.id, decidedAt: new Date(), decisionReason: reason?.trim() || null, version: { increment: 1 } },
      });
      if (count === 0) throw await stateMoved(tx, sub.id, "subscription", ["ACTIVE", "PENDING"]);
      return tx.subscription.findUniqueOrThrow({ where: { id: sub.id } });
    },
    () => ({
      action: "subscription.revoke",
      targetType: "subscription",
      targetId: sub.id,
      details: { dataSourceId: sub.dataSourceId, view: `${sub.dataSource.governedSchema}.${sub.dataSource.name}`, username: sub.user.username, reason: reason ?? null },
    }),
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
  try {
    return await governanceWrite(
      actor,
      { bumpEpoch: true },
      (tx) =>
        tx.subscription.upsert({
          where: { dataSourceId_userId: { dataSourceId, userId: user.id } },
          create: { dataSourceId, userId: user.id, ...data },
          update: { ...data, version: { increment: 1 } },
        }),
      (s) => ({
        action: "subscription.add",
        targetType: "subscription",
        targetId: s.id,
        details: { dataSourceId: ds.id, view: `${ds.governedSchema}.${ds.name}`, username: user.username, expiresAt: s.expiresAt?.toISOString() ?? null },
      }),
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`${user.username} was subscribed by someone else at the same moment.`);
    throw error;
  }
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


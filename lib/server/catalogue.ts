import "server-only";
import { isSubscribed } from "@/lib/policy";
import { accessState } from "@/lib/data-sources/access";
import { queryCatalogue, type CatalogueParams } from "@/lib/data-sources/catalogue";
import { conditionSchema } from "@/lib/validations/policy";
import type { Actor } from "./actor";
import { getDb } from "./db";
import { loadUserContext, type LoadedUser } from "./user-context";

/** Whether an AUTO data source's condition currently matches the user (an invalid stored condition: no). */
export function autoMatches(policy: { type: string; condition: unknown } | null | undefined, user: LoadedUser | null, now: Date): boolean {
  if (policy?.type !== "AUTO" || !user) return false;
  const condition = conditionSchema.safeParse(policy.condition);
  return condition.success && isSubscribed({ policy: { type: "AUTO", condition: condition.data }, user: user.context, now });
}

/**
 * The catalogue: every user may browse every data source's description and their own access to it, never
 * its data. Filtering, sorting and paging happen here on the server (lib/data-sources/catalogue.ts).
 */
export async function searchCatalogue(actor: Actor, params: CatalogueParams) {
  const db = await getDb();
  const sources = await db.dataSource.findMany({
    include: {
      owners: { include: { user: { select: { username: true } } } },
      tags: { include: { tag: { select: { name: true } } } },
      subscription: { select: { type: true, condition: true, maxDays: true } },
      subscriptions: { where: { userId: actor.id }, select: { state: true, expiresAt: true } },
      _count: { select: { columns: true } },
    },
  });
  const user = sources.some((s) => s.subscription?.type === "AUTO") ? await loadUserContext(db, actor.username) : null;
  const now = new Date();
  const rows = sources.map((ds) => {
    const mine = ds.subscriptions[0] ?? null;
    return {
      id: ds.id,
      view: `${ds.governedSchema}.${ds.name}`,
      backing: `${ds.backingCatalog}.${ds.backingSchema}.${ds.backingTable}`,
      description: ds.description,
      owners: ds.owners.map((o) => o.user.username).sort(),
      tags: ds.tags.map((t) => t.tag.name).sort(),
      columnCount: ds._count.columns,
      status: ds.status,
      subscriptionType: ds.subscription?.type ?? "APPROVAL",
      access: accessState({ subscription: mine, autoMatch: autoMatches(ds.subscription, user, now), now }),
      expiresAt: mine?.state === "ACTIVE" ? mine.expiresAt : null,
      createdAt: ds.createdAt,
    };
  });
  return {
    ...queryCatalogue(rows, params),
    allTags: [...new Set(rows.flatMap((r) => r.tags))].sort(),
    registered: rows.length,
  };
}

import "server-only";
import { createWebhookSchema, setWebhookEnabledSchema, type CreateWebhookInput } from "@/lib/validations/integration";
import { requireRole, type Actor } from "./actor";
import { getDb } from "./db";
import { NotFoundError } from "./errors";
import { governanceWrite } from "./governance";
import { parseInput } from "./handlers";

// Webhooks change no user's view: their writes are audited but do not bump the epoch.

/** The secret never leaves the server again: the list says only whether one is set. */
export async function listWebhooks(actor: Actor) {
  requireRole(actor, ["ADMIN"]);
  const db = await getDb();
  const hooks = await db.webhook.findMany({ orderBy: { createdAt: "asc" } });
  return hooks.map((h) => ({ id: h.id, url: h.url, events: h.events, signed: Boolean(h.secret), enabled: h.enabled, createdAt: h.createdAt }));
}

export async function createWebhook(actor: Actor, raw: CreateWebhookInput) {
  requireRole(actor, ["ADMIN"]);
  const input = parseInput(createWebhookSchema, raw);
  const hook = await governanceWrite(
    actor,
    { bumpEpoch: false },
    (tx) => tx.webhook.create({ data: { url: input.url, events: input.events, secret: input.secret ?? null } }),
    (h) => ({ action: "webhook.create", targetType: "webhook", targetId: h.id, details: { url: h.url, events: h.events, signed: Boolean(h.secret) } }),
  );
  return { id: hook.id };
}

async function requireWebhook(id: string) {
  const db = await getDb();
  const hook = await db.webhook.findUnique({ where: { id } });
  if (!hook) throw new NotFoundError("No such webhook.");
  return hook;
}

export async function setWebhookEnabled(actor: Actor, raw: { id: string; enabled: boolean }) {
  requireRole(actor, ["ADMIN"]);
  const { id, enabled } = parseInput(setWebhookEnabledSchema, raw);
  const hook = await requireWebhook(id);
  await governanceWrite(
    actor,
    { bumpEpoch: false },
    (tx) => tx.webhook.update({ where: { id }, data: { enabled } }),
    () => ({ action: enabled ? "webhook.enable" : "webhook.disable", targetType: "webhook", targetId: id, details: { url: hook.url } }),
  );
  return { id, enabled };
}

export async function deleteWebhook(actor: Actor, id: string) {
  requireRole(actor, ["ADMIN"]);
  const hook = await requireWebhook(id);
  await governanceWrite(
    actor,
    { bumpEpoch: false },
    (tx) => tx.webhook.delete({ where: { id } }),
    () => ({ action: "webhook.delete", targetType: "webhook", targetId: id, details: { url: hook.url } }),
  );
  return { id };
}

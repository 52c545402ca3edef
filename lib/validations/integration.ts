// zod schemas for Settings: the Trino integration, API keys and webhooks.
import { z } from "zod";
import { text } from "./text";

const httpUrl = (what: string) =>
  text()
    .trim()
    .min(1, "Required.")
    .max(2000, "At most 2000 characters.")
    .refine((s) => {
      try {
        const u = new URL(s);
        return (u.protocol === "http:" || u.protocol === "https:") && !u.username && !u.password;
      } catch {
        return false;
      }
    }, `${what} must be an http(s) URL without credentials, e.g. http://127.0.0.1:8080.`)
    .transform((s) => s.replace(/\/+$/, ""));

/** A Trino catalog name as Steward creates it: a lower-case identifier. */
export const catalogName = text()
  .trim()
  .min(1, "Required.")
  .max(128, "At most 128 characters.")
  .regex(/^[a-z_][a-z0-9_]*$/, "Use lower-case letters, digits and _ (not starting with a digit).");

export const integrationSettingsSchema = z.strictObject({
  trinoUrl: httpUrl("The Trino URL"),
  serviceUser: text()
    .trim()
    .min(1, "Required.")
    .max(128, "At most 128 characters.")
    .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, "Use letters, digits, '.', '_', '-' or '@'."),
  governedCatalog: catalogName,
  consoleUrl: httpUrl("The console URL"),
});
export type IntegrationSettingsInput = z.input<typeof integrationSettingsSchema>;

export const apiKeyNameSchema = z.strictObject({ name: text().trim().min(1, "Give the key a name.").max(100, "At most 100 characters.") });

/** `*` (every event), `user.*` (a family) or an exact audit action such as `apikey.revoke`. */
export const webhookEventPattern = text()
  .trim()
  .min(1)
  .max(100)
  .regex(/^(\*|[a-z_]+(\.[a-z_]+)*(\.\*)?)$/, "An event is *, a family like user.* or an action like apikey.revoke.");

export const createWebhookSchema = z.strictObject({
  url: httpUrl("The webhook URL"),
  events: z
    .array(webhookEventPattern)
    .min(1, "Choose at least one event.")
    .max(50, "At most 50 events.")
    .transform((e) => [...new Set(e)]),
  secret: text()
    .max(256, "At most 256 characters.")
    .transform((s) => (s.trim() === "" ? null : s))
    .refine((s) => s === null || s.length >= 16, "Use at least 16 characters, or leave it empty for unsigned deliveries.")
    .nullable()
    .optional(),
});
export type CreateWebhookInput = z.input<typeof createWebhookSchema>;

export const setWebhookEnabledSchema = z.strictObject({ id: text().min(1).max(64), enabled: z.boolean() });

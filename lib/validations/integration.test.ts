import { describe, expect, it } from "vitest";
import { createWebhookSchema, integrationSettingsSchema } from "./integration";

const settings = { trinoUrl: "http://127.0.0.1:8080/", serviceUser: "steward", governedCatalog: "governed", consoleUrl: "https://steward.example.com" };

describe("integration settings", () => {
  it("accepts http(s) URLs and drops a trailing slash", () => {
    expect(integrationSettingsSchema.parse(settings).trinoUrl).toBe("http://127.0.0.1:8080");
  });
  it("rejects other schemes, credentials in URLs and catalog names Trino would need quoted", () => {
    expect(integrationSettingsSchema.safeParse({ ...settings, trinoUrl: "ftp://x" }).success).toBe(false);
    expect(integrationSettingsSchema.safeParse({ ...settings, consoleUrl: "http://u:p@host" }).success).toBe(false);
    expect(integrationSettingsSchema.safeParse({ ...settings, governedCatalog: "Governed" }).success).toBe(false);
    expect(integrationSettingsSchema.safeParse({ ...settings, governedCatalog: "a; DROP" }).success).toBe(false);
  });
});

describe("webhooks", () => {
  it("takes event patterns and an optional secret of 16+ characters", () => {
    expect(createWebhookSchema.parse({ url: "http://127.0.0.1:9/hook", events: ["*", "user.*", "user.*"], secret: "" })).toEqual({
      url: "http://127.0.0.1:9/hook",
      events: ["*", "user.*"],
      secret: null,
    });
    expect(createWebhookSchema.safeParse({ url: "http://x", events: ["user.*"], secret: "short" }).success).toBe(false);
    expect(createWebhookSchema.safeParse({ url: "http://x", events: [] }).success).toBe(false);
    expect(createWebhookSchema.safeParse({ url: "http://x", events: ["User Create"] }).success).toBe(false);
  });
});

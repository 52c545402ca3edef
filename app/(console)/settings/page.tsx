import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { Section } from "@/components/ui/form";
import { PageHeader } from "@/components/ui/page-header";
import { describeGovernedCatalog, getIntegrationSettings, listApiKeys } from "@/lib/server/integration";
import { pageActor } from "@/lib/server/page";
import { listWebhooks } from "@/lib/server/webhooks";
import { ApiKeyCreator, RevokeApiKey } from "./api-key-creator";
import { CreateCatalogButton } from "./catalog-panel";
import { IntegrationForm } from "./integration-form";
import { NewWebhookForm, WebhookControls } from "./webhooks";

const when = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace("T", " ") : null);

export default async function SettingsPage() {
  const actor = await pageActor(["ADMIN"]);
  const [settings, keys, catalog, hooks] = await Promise.all([getIntegrationSettings(), listApiKeys(actor), describeGovernedCatalog(actor), listWebhooks(actor)]);
  return (
    <>
      <PageHeader title="Settings" description="How Steward reaches Trino, how Trino's connector reaches Steward, and who hears about changes." />

      <Section title="Trino integration" id="integration">
        <IntegrationForm initial={settings} />
      </Section>

      <Section
        title="Governed catalog"
        id="catalog"
        description={
          <>
            The catalog Trino serves governed views from. Deploy the file by hand, or let the console run the statement on a Trino started with{" "}
            <code className="text-xs">catalog.management=dynamic</code>. Neither holds the API key: Trino records every statement&apos;s text, so the key
            is read from the coordinator&apos;s environment variable <code className="text-xs">{catalog.apiKeyEnv}</code> (set it to a key created
            below, then restart Trino).
          </>
        }
      >
        <div className="grid gap-4 xl:grid-cols-2">
          <figure className="min-w-0">
            <figcaption className="mb-1 text-sm font-medium text-slate-700">
              <code className="text-xs">{catalog.fileName}</code>
            </figcaption>
            <pre data-testid="catalog-properties" className="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100">{catalog.properties}</pre>
          </figure>
          <figure className="min-w-0">
            <figcaption className="mb-1 text-sm font-medium text-slate-700">or, as the service user, in Trino</figcaption>
            <pre data-testid="catalog-sql" className="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100">{catalog.sql}</pre>
          </figure>
        </div>
        <div className="mt-4">
          <CreateCatalogButton catalog={catalog.catalog} />
        </div>
      </Section>

      <Section title="API keys" id="api-keys" description="The connector authenticates to the view API with one of these. Only a hash is stored.">
        <ApiKeyCreator />
        <DataTable
          label="API keys"
          rows={keys}
          rowKey={(k) => k.id}
          empty="No API keys yet: create one for the connector."
          columns={[
            { header: "Name", cell: (k) => k.name },
            { header: "Key", cell: (k) => <span className="font-mono">{k.prefix}…</span> },
            { header: "Created", cell: (k) => <span className="whitespace-nowrap">{when(k.createdAt)}</span> },
            { header: "Last used", cell: (k) => <span className="whitespace-nowrap">{when(k.lastUsedAt) ?? "never"}</span> },
            { header: "Status", cell: (k) => <span className="whitespace-nowrap">{k.revokedAt ? <Badge tone="red">revoked {k.revokedAt.toISOString().slice(0, 10)}</Badge> : <Badge tone="green">active</Badge>}</span> },
            { header: "", cell: (k) => (k.revokedAt ? null : <div className="text-right"><RevokeApiKey id={k.id} name={k.name} prefix={k.prefix} /></div>) },
          ]}
        />
      </Section>

      <Section title="Webhooks" id="webhooks" description="After each change commits, Steward POSTs the audit event to every enabled webhook whose events match. Best effort: no retries.">
        <div className="mb-4">
          <DataTable
            label="Webhooks"
            rows={hooks}
            rowKey={(h) => h.id}
            empty="No webhooks yet."
            columns={[
              { header: "URL", cell: (h) => <span className="break-all font-mono text-xs">{h.url}</span> },
              { header: "Events", cell: (h) => <span className="font-mono text-xs">{h.events.join(", ")}</span> },
              { header: "Signed", cell: (h) => (h.signed ? "yes" : "no") },
              { header: "Status", cell: (h) => (h.enabled ? <Badge tone="green">enabled</Badge> : <Badge>disabled</Badge>) },
              { header: "", cell: (h) => <WebhookControls id={h.id} url={h.url} enabled={h.enabled} /> },
            ]}
          />
        </div>
        <NewWebhookForm />
      </Section>
    </>
  );
}

import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { getIntegrationSettings, listApiKeys } from "@/lib/server/integration";
import { pageActor } from "@/lib/server/page";
import { ApiKeyCreator } from "./api-key-creator";

export default async function SettingsPage() {
  const actor = await pageActor(["ADMIN"]);
  const [settings, keys] = await Promise.all([getIntegrationSettings(), listApiKeys(actor)]);
  return (
    <>
      <PageHeader title="Settings" description="How Steward reaches Trino, and the keys Trino's connector uses to reach Steward." />
      <section className="mb-8 rounded-lg border border-slate-200 bg-white p-5">
        <h2 className="mb-3 text-lg font-medium">Trino integration</h2>
        <dl className="grid grid-cols-[12rem_1fr] gap-y-2 text-sm">
          <dt className="text-slate-500">Trino URL</dt>
          <dd className="font-mono">{settings.trinoUrl}</dd>
          <dt className="text-slate-500">Service user</dt>
          <dd className="font-mono">{settings.serviceUser}</dd>
          <dt className="text-slate-500">Governed catalog</dt>
          <dd className="font-mono">{settings.governedCatalog}</dd>
          <dt className="text-slate-500">Console URL for the connector</dt>
          <dd className="font-mono">{settings.consoleUrl}</dd>
        </dl>
      </section>
      <section>
        <h2 className="mb-3 text-lg font-medium">API keys</h2>
        <ApiKeyCreator />
        <DataTable
          label="API keys"
          rows={keys}
          rowKey={(k) => k.id}
          empty="No API keys yet: create one for the connector."
          columns={[
            { header: "Name", cell: (k) => k.name },
            { header: "Key", cell: (k) => <span className="font-mono">{k.prefix}…</span> },
            { header: "Created", cell: (k) => k.createdAt.toISOString().slice(0, 10) },
            { header: "Last used", cell: (k) => k.lastUsedAt?.toISOString().slice(0, 16).replace("T", " ") ?? "never" },
            { header: "Status", cell: (k) => (k.revokedAt ? "revoked" : "active") },
          ]}
        />
      </section>
    </>
  );
}

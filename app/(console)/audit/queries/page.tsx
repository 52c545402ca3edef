import Link from "next/link";
import { Sentence } from "@/components/audit/sentence";
import { DataTable } from "@/components/ui/data-table";
import { Field, buttonClass, inputClass } from "@/components/ui/form";
import { PageHeader } from "@/components/ui/page-header";
import { DateRangeFields, FilterButtons, FilterErrors } from "@/components/audit/filter-fields";
import { Pagination } from "@/components/ui/pagination";
import { pageActor } from "@/lib/server/page";
import { listQueryAudits, queryAuditFacets } from "@/lib/server/query-audit";
import { readFilters } from "@/lib/validations/audit";
import { queryAuditFilterSchema, queryAuditQuery } from "@/lib/validations/query-audit";

const PAGE_SIZE = 25;

const utc = (d: Date) => d.toISOString().replace("T", " ").slice(0, 19);

export default async function QueryAuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await pageActor(["AUDITOR"]);
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const { filter, errors: filterErrors } = readFilters(queryAuditFilterSchema, raw);

  const [{ records, total, page, pageSize }, facets] = await Promise.all([listQueryAudits(actor, { ...filter, pageSize: PAGE_SIZE }), queryAuditFacets(actor)]);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const filtered = Boolean(filter.user || filter.dataSource || filter.policy || filter.from || filter.to);
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(page * pageSize, total);
  // a filter value the form does not offer (a name typed into the URL) stays selected
  const dataSourceOptions = filter.dataSource && !facets.dataSources.some((d) => d.id === filter.dataSource) ? [{ id: filter.dataSource, name: filter.dataSource }, ...facets.dataSources] : facets.dataSources;
  const policyOptions = filter.policy && !facets.policies.some((p) => p.id === filter.policy) ? [{ id: filter.policy, name: filter.policy }, ...facets.policies] : facets.policies;

  return (
    <>
      <PageHeader title="Query audit" description="Every Trino query that read a governed view or was refused, newest first: what each user saw and why. Times are UTC.">
        <Link href="/audit" className={buttonClass("secondary")}>Governance changes</Link>
      </PageHeader>
      <form key={queryAuditQuery(filter) + JSON.stringify(filterErrors)} method="get" action="/audit/queries" aria-label="Filter queries" className="mb-4 grid grid-cols-2 items-start gap-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-3 lg:grid-cols-[minmax(0,1fr)_minmax(0,1.2fr)_minmax(0,1.4fr)_minmax(0,1fr)_minmax(0,1fr)_auto]">
        <Field id="user" label="User">
          <input id="user" name="user" list="query-users" defaultValue={filter.user ?? ""} placeholder="Anyone" className={inputClass} />
          <datalist id="query-users">
            {facets.users.map((u) => <option key={u} value={u} />)}
          </datalist>
        </Field>
        <Field id="dataSource" label="Data source">
          <select id="dataSource" name="dataSource" defaultValue={filter.dataSource ?? ""} className={inputClass}>
            <option value="">Any data source</option>
            {dataSourceOptions.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
          </select>
        </Field>
        <Field id="policy" label="Policy">
          <select id="policy" name="policy" defaultValue={filter.policy ?? ""} className={inputClass}>
            <option value="">Any policy</option>
            {policyOptions.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        </Field>
        <DateRangeFields raw={raw} errors={filterErrors} />
        <FilterButtons clearHref="/audit/queries" filtered={filtered} />
      </form>
      <FilterErrors errors={filterErrors} />

      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-600" role="status" data-testid="query-audit-count">
          {total === 0 ? "No queries" : `Queries ${first}–${last} of ${total}`}
          {filtered ? " matching the filters" : ""}.
        </p>
        <div className="flex gap-2" aria-label="Export">
          <a href={`/api/audit/queries${queryAuditQuery(filter, { format: "csv" })}`} className={buttonClass("secondary", "sm")} download>Export CSV</a>
          <a href={`/api/audit/queries${queryAuditQuery(filter, { format: "jsonl" })}`} className={buttonClass("secondary", "sm")} download>Export JSON lines</a>
        </div>
      </div>
      <DataTable
        label="Queries"
        rows={records}
        rowKey={(r) => r.id}
        empty={filtered ? "No queries match these filters." : "No queries recorded yet. The connector's event listener posts each query that reads a governed view or is refused."}
        columns={[
          { header: "Time (UTC)", cell: (r) => <time dateTime={r.createdAt.toISOString()} className="whitespace-nowrap font-mono text-xs">{utc(r.createdAt)}</time> },
          {
            header: "What happened",
            cell: (r) => (
              <ul className="max-w-2xl space-y-0.5 text-sm" data-testid="query-audit-record" data-query-id={r.queryId}>
                {r.lines.map((line, i) => (
                  <li key={i} data-testid="query-audit-sentence"><Sentence segments={line} /></li>
                ))}
              </ul>
            ),
          },
          {
            header: "Query",
            cell: (r) => (
              <details className="max-w-md">
                <summary className="cursor-pointer text-xs text-slate-600"><code className="break-all">{r.query.length > 70 ? `${r.query.slice(0, 70)}…` : r.query}</code></summary>
                <pre className="mt-1 overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs">{r.query}{r.queryTruncated ? "\n… (cut at 20,000 characters)" : ""}</pre>
              </details>
            ),
          },
          {
            header: "Context",
            cell: (r) => (
              <dl className="grid grid-cols-[max-content_1fr] gap-x-2 text-xs" aria-label="Query context">
                <dt className="text-slate-500">outcome</dt>
                <dd className={r.state === "FAILED" ? "text-red-700" : "text-emerald-800"} title={r.errorMessage ?? undefined}>{r.state === "FAILED" ? `failed${r.errorCode ? ` (${r.errorCode})` : ""}` : "succeeded"}</dd>
                {r.principal && r.principal !== r.username ? (<><dt className="text-slate-500">signed in as</dt><dd>{r.principal}</dd></>) : null}
                <dt className="text-slate-500">project</dt>
                <dd>{r.project ?? "(none)"}</dd>
                <dt className="text-slate-500">epoch</dt>
                <dd>{r.epoch ?? "–"}</dd>
                {r.source ? (<><dt className="text-slate-500">client</dt><dd className="break-all">{r.source}</dd></>) : null}
                <dt className="text-slate-500">query id</dt>
                <dd className="break-all font-mono">{r.queryId}</dd>
              </dl>
            ),
          },
        ]}
      />
      <Pagination page={page} pages={pages} href={(n) => `/audit/queries${queryAuditQuery(filter, { page: n })}`} />
    </>
  );
}

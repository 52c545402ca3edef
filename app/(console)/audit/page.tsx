import Link from "next/link";
import { Pagination } from "@/components/ui/pagination";
import { DataTable } from "@/components/ui/data-table";
import { Field, buttonClass, inputClass } from "@/components/ui/form";
import { PageHeader } from "@/components/ui/page-header";
import { DateRangeFields, FilterButtons, FilterErrors } from "@/components/audit/filter-fields";
import { Sentence } from "@/components/audit/sentence";
import type { AuditChange } from "@/lib/audit/describe";
import { auditFacets, listAuditEvents } from "@/lib/server/directory";
import { pageActor } from "@/lib/server/page";
import { auditFilterSchema, auditQuery, readFilters } from "@/lib/validations/audit";

const PAGE_SIZE = 25;

function families(actions: string[]): string[] {
  return [...new Set(actions.filter((a) => a.includes(".")).map((a) => `${a.split(".")[0]}.*`))];
}

function Changes({ changes }: { changes: AuditChange[] }) {
  if (!changes.length) return null;
  return (
    <dl className="mt-1 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5 text-xs" aria-label="What changed">
      {changes.map((c) => (
        <div key={c.field} className="contents">
          <dt className="text-slate-500">{c.field}</dt>
          <dd>
            <del className="text-red-700 decoration-red-300">{c.before}</del> <span aria-hidden className="text-slate-400">→</span>{" "}
            <ins className="text-emerald-800 no-underline">{c.after}</ins>
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Details({ value }: { value: unknown }) {
  if (value === null || value === undefined) return null;
  const text = JSON.stringify(value);
  if (text.length <= 90) return <code className="break-all text-xs text-slate-600">{text}</code>;
  return (
    <details>
      <summary className="cursor-pointer text-xs text-slate-600">
        <code className="break-all">{text.slice(0, 80)}…</code>
      </summary>
      <pre className="mt-1 max-w-xl overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs">{JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await pageActor(["AUDITOR"]);
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const { filter, errors: filterErrors } = readFilters(auditFilterSchema, raw);

  const [{ events, total, page, pageSize }, facets] = await Promise.all([listAuditEvents(actor, { ...filter, pageSize: PAGE_SIZE }), auditFacets(actor)]);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const filtered = Boolean(filter.actor || filter.action || filter.targetType || filter.from || filter.to);
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(page * pageSize, total);
  const actionOptions = [...families(facets.actions), ...facets.actions].sort();

  return (
    <>
      <PageHeader title="Audit" description="Every governance change, who made it and when, newest first. Times are UTC.">
        <Link href="/audit/queries" className={buttonClass("secondary")}>Queries</Link>
      </PageHeader>
      <form key={auditQuery(filter) + JSON.stringify(filterErrors)} method="get" action="/audit" aria-label="Filter audit events" className="mb-4 grid grid-cols-2 items-start gap-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-3 lg:grid-cols-[minmax(0,1fr)_minmax(0,1.4fr)_minmax(0,1fr)_minmax(0,1fr)_minmax(0,1fr)_auto]">
        <Field id="actor" label="Actor">
          <select id="actor" name="actor" defaultValue={filter.actor ?? ""} className={inputClass}>
            <option value="">Anyone</option>
            {facets.actors.map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
        </Field>
        <Field id="action" label="Action">
          <select id="action" name="action" defaultValue={filter.action ?? ""} className={inputClass}>
            <option value="">Any action</option>
            {actionOptions.map((a) => <option key={a} value={a}>{a.endsWith(".*") ? `${a} (all)` : a}</option>)}
          </select>
        </Field>
        <Field id="targetType" label="Target type">
          <select id="targetType" name="targetType" defaultValue={filter.targetType ?? ""} className={inputClass}>
            <option value="">Any target</option>
            {facets.targetTypes.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </Field>
        <DateRangeFields raw={raw} errors={filterErrors} />
        <FilterButtons clearHref="/audit" filtered={filtered} />
      </form>
      <FilterErrors errors={filterErrors} />

      <p className="mb-2 text-sm text-slate-600" role="status" data-testid="audit-count">
        {total === 0 ? "No events" : `Events ${first}–${last} of ${total}`}
        {filtered ? " matching the filters" : ""}.
      </p>
      <DataTable
        label="Audit events"
        rows={events}
        rowKey={(e) => e.id}
        empty={filtered ? "No events match these filters." : "No events yet."}
        columns={[
          { header: "Time (UTC)", cell: (e) => <time dateTime={e.createdAt.toISOString()} className="whitespace-nowrap font-mono text-xs">{e.createdAt.toISOString().replace("T", " ").slice(0, 19)}</time> },
          { header: "What happened", cell: (e) => <div className="max-w-2xl text-sm" data-testid="audit-sentence"><Sentence segments={e.sentence} /><Changes changes={e.changes} /></div> },
          { header: "Action", cell: (e) => <span className="whitespace-nowrap font-mono text-xs">{e.action}</span> },
          { header: "Recorded details", cell: (e) => <Details value={e.details} /> },
        ]}
      />
      <Pagination page={page} pages={pages} href={(n) => `/audit${auditQuery(filter, n)}`} />
    </>
  );
}

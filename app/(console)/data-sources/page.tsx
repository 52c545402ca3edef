import Link from "next/link";
import { Pagination } from "@/components/ui/pagination";
import { AccessBadge, TagList } from "@/components/data-sources/access-badge";
import { RequestAccess } from "@/components/subscriptions/request-access";
import { Badge } from "@/components/ui/badge";
import { buttonClass, inputClass } from "@/components/ui/form";
import { PageHeader } from "@/components/ui/page-header";
import { hasAccess, requestOption } from "@/lib/data-sources/access";
import { catalogueHref, DEFAULT_PARAMS, PAGE_SIZE, parseCatalogueParams, type CatalogueParams } from "@/lib/data-sources/catalogue";
import { hasAnyRole } from "@/lib/roles";
import { searchCatalogue } from "@/lib/server/catalogue";
import { pageActor } from "@/lib/server/page";

const SORT_LABEL: Record<CatalogueParams["sort"], string> = { name: "Name", columns: "Columns", created: "Registered", access: "My access" };

function SortHeader({ params, sort, children, className = "" }: { params: CatalogueParams; sort: CatalogueParams["sort"]; children: React.ReactNode; className?: string }) {
  const active = params.sort === sort;
  const dir = active && params.dir === "asc" ? "desc" : "asc";
  return (
    <th scope="col" aria-sort={active ? (params.dir === "asc" ? "ascending" : "descending") : undefined} className={`px-4 py-2 text-left font-medium text-slate-600 ${className}`}>
      <Link href={catalogueHref(params, { sort, dir, page: 1 })} className="inline-flex items-center gap-1 hover:text-indigo-700">
        {children}
        <span aria-hidden className={active ? "text-indigo-600" : "text-slate-300"}>{active && params.dir === "desc" ? "▼" : "▲"}</span>
        <span className="sr-only">{active ? `, sorted ${params.dir === "asc" ? "ascending" : "descending"}` : ", sort"}</span>
      </Link>
    </th>
  );
}

export default async function DataSourcesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await pageActor();
  const params = parseCatalogueParams(await searchParams);
  const result = await searchCatalogue(actor, params);
  const canRegister = hasAnyRole(actor.roles, ["DATA_OWNER"]);
  const filtered = params.q !== "" || params.status !== "all" || params.access !== "all" || params.tag !== "";
  const first = (result.page - 1) * PAGE_SIZE + 1;

  return (
    <>
      <PageHeader title="Data sources" description="Every registered Trino table, as its governed view. Request access to query its rows.">
        {canRegister ? (
          <Link href="/data-sources/register" className={buttonClass("primary")}>
            Register tables
          </Link>
        ) : null}
      </PageHeader>

      <form key={catalogueHref(params)} method="get" action="/data-sources" role="search" aria-label="Filter data sources" className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <label className="block min-w-56 flex-1 text-sm">
          <span className="font-medium text-slate-700">Search</span>
          <input name="q" type="search" defaultValue={params.q} placeholder="Name, description, owner or tag" className={inputClass} />
        </label>
        <label className="block text-sm">
          <span className="font-medium text-slate-700">My access</span>
          <select name="access" defaultValue={params.access} className={inputClass}>
            <option value="all">Any</option>
            <option value="mine">Subscribed</option>
            <option value="pending">Requested</option>
            <option value="none">No access</option>
          </select>
        </label>
        <label className="block text-sm">
          <span className="font-medium text-slate-700">Tag</span>
          <select name="tag" defaultValue={params.tag} className={inputClass}>
            <option value="">Any</option>
            {result.allTags.map((t) => (
              <option key={t} value={t}>{t}</option>
            ))}
          </select>
        </label>
        <label className="block text-sm">
          <span className="font-medium text-slate-700">Status</span>
          <select name="status" defaultValue={params.status} className={inputClass}>
            <option value="all">Any</option>
            <option value="ACTIVE">Active</option>
            <option value="DISABLED">Disabled</option>
          </select>
        </label>
        <label className="block text-sm">
          <span className="font-medium text-slate-700">Sort by</span>
          <select name="sort" defaultValue={params.sort} className={inputClass}>
            {Object.entries(SORT_LABEL).map(([value, label]) => (
              <option key={value} value={value}>{label}</option>
            ))}
          </select>
        </label>
        {params.dir !== DEFAULT_PARAMS.dir ? <input type="hidden" name="dir" value={params.dir} /> : null}
        <button className={buttonClass("secondary")}>Apply</button>
        {filtered ? (
          <Link href="/data-sources" className={buttonClass("ghost")}>
            Clear
          </Link>
        ) : null}
      </form>

      {result.registered === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-500">
          <p>No data sources are registered yet.</p>
          {canRegister ? (
            <Link href="/data-sources/register" className={`${buttonClass("primary")} mt-4`}>
              Register your first table
            </Link>
          ) : (
            <p className="mt-1">A data owner registers Trino tables here.</p>
          )}
        </div>
      ) : result.total === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-500">
          <p>No data source matches these filters.</p>
          <Link href="/data-sources" className="mt-2 inline-block text-indigo-700 hover:underline">
            Clear the filters
          </Link>
        </div>
      ) : (
        <>
          <p className="mb-2 text-sm text-slate-600" aria-live="polite">
            {result.total === result.registered ? `${result.total} data sources` : `${result.total} of ${result.registered} data sources match`}
            {result.pages > 1 ? ` — showing ${first}–${first + result.rows.length - 1}` : ""}
          </p>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label="Data sources">
              <thead className="bg-slate-50">
                <tr>
                  <SortHeader params={params} sort="name">View</SortHeader>
                  <th scope="col" className="px-4 py-2 text-left font-medium text-slate-600">Description</th>
                  <th scope="col" className="px-4 py-2 text-left font-medium text-slate-600">Tags</th>
                  <th scope="col" className="px-4 py-2 text-left font-medium text-slate-600">Owners</th>
                  <SortHeader params={params} sort="columns" className="text-right">Columns</SortHeader>
                  <SortHeader params={params} sort="access">My access</SortHeader>
                  <th scope="col" className="px-4 py-2 text-left font-medium text-slate-600"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {result.rows.map((r) => (
                  <tr key={r.id} data-testid={`catalogue-row-${r.view}`}>
                    <td className="px-4 py-2 align-top">
                      <Link href={`/data-sources/${r.id}`} className="font-mono font-medium text-indigo-700 hover:underline">
                        {r.view}
                      </Link>
                      <div className="font-mono text-xs text-slate-500">{r.backing}</div>
                      {r.status === "DISABLED" ? <Badge tone="amber">disabled</Badge> : null}
                    </td>
                    <td className="max-w-80 px-4 py-2 align-top text-slate-700">
                      <span className="line-clamp-2">{r.description ?? <span className="text-slate-400">No description</span>}</span>
                    </td>
                    <td className="px-4 py-2 align-top"><TagList tags={r.tags} /></td>
                    <td className="px-4 py-2 align-top">{r.owners.join(", ")}</td>
                    <td className="px-4 py-2 text-right align-top tabular-nums">{r.columnCount}</td>
                    <td className="px-4 py-2 align-top"><AccessBadge access={r.access} expiresAt={r.expiresAt} /></td>
                    <td className="px-4 py-2 align-top">
                      {hasAccess(r.access) || r.access === "pending" ? null : (
                        <RequestAccess size="sm" dataSourceId={r.id} view={r.view} option={requestOption({ status: r.status, type: r.subscriptionType, access: r.access })} />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination page={result.page} pages={result.pages} href={(page) => catalogueHref(params, { page })} />
        </>
      )}
    </>
  );
}

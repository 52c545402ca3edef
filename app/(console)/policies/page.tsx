import Link from "next/link";
import { Pagination } from "@/components/ui/pagination";
import { DeletePolicyButton } from "@/components/policies/delete-policy-button";
import { EnablePolicyButton } from "@/components/policies/enable-policy-button";
import { Badge } from "@/components/ui/badge";
import { buttonClass, FormMessage, inputClass } from "@/components/ui/form";
import { PageHeader } from "@/components/ui/page-header";
import { DEFAULT_POLICY_PARAMS, parsePolicyListParams, POLICY_PAGE_SIZE, policyListHref, type PolicyListParams } from "@/lib/policies/list";
import { hasAnyRole } from "@/lib/roles";
import { pageActor } from "@/lib/server/page";
import { searchPolicies } from "@/lib/server/policy-search";
import { deletePolicyAction, setPolicyEnabledAction } from "./actions";

const SORT_LABEL: Record<PolicyListParams["sort"], string> = { created: "Created", name: "Name", scope: "Scope", kind: "Kind", target: "Applies to" };

function SortHeader({ params, sort, children }: { params: PolicyListParams; sort: PolicyListParams["sort"]; children: React.ReactNode }) {
  const active = params.sort === sort;
  const dir = active && params.dir === "asc" ? "desc" : "asc";
  return (
    <th scope="col" aria-sort={active ? (params.dir === "asc" ? "ascending" : "descending") : undefined} className="px-4 py-2 text-left font-medium text-slate-600">
      <Link href={policyListHref(params, { sort, dir, page: 1 })} className="inline-flex items-center gap-1 whitespace-nowrap hover:text-indigo-700">
        {children}
        <span aria-hidden className={active ? "text-indigo-600" : "text-slate-300"}>{active && params.dir === "desc" ? "▼" : "▲"}</span>
        <span className="sr-only">{active ? `, sorted ${params.dir === "asc" ? "ascending" : "descending"}` : ", sort"}</span>
      </Link>
    </th>
  );
}

export default async function PoliciesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await pageActor(["GOVERNOR", "DATA_OWNER", "AUDITOR"]);
  const writes = hasAnyRole(actor.roles, ["GOVERNOR", "DATA_OWNER"]);
  const sp = await searchParams;
  const params = parsePolicyListParams(sp);
  const result = await searchPolicies(actor, params);
  const governor = hasAnyRole(actor.roles, ["GOVERNOR"]);
  const filtered = params.q !== "" || params.scope !== "all" || params.kind !== "all" || params.on !== "";
  const first = (result.page - 1) * POLICY_PAGE_SIZE + 1;
  const deleted = typeof sp.deleted === "string" ? sp.deleted.slice(0, 200) : null;

  return (
    <>
      <PageHeader
        title="Policies"
        description={
          governor
            ? "Masks and row filters, global by tag or local to one data source."
            : writes
              ? "Global policies, and the local ones of the data sources you own."
              : "Every mask and row filter, to read: auditors change none. The audit log shows who changed what."
        }
      >
        {writes ? (
          <>
            <Link href="/policies/preview" className={buttonClass("secondary")}>
              View as user
            </Link>
            <Link href="/policies/new" className={buttonClass("primary")}>
              New policy
            </Link>
          </>
        ) : null}
      </PageHeader>

      {deleted ? (
        <div className="mb-4">
          <FormMessage kind="success">Deleted “{deleted}”.</FormMessage>
        </div>
      ) : null}

      <form method="get" action="/policies" role="search" aria-label="Filter policies" className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <div className="block min-w-56 flex-1 text-sm">
          <label htmlFor="filter-q" className="font-medium text-slate-700">Search</label>
          <input id="filter-q" name="q" type="search" defaultValue={params.q} placeholder="Name, description, tag or what it does" className={inputClass} />
        </div>
        <div className="block text-sm">
          <label htmlFor="filter-scope" className="font-medium text-slate-700">Scope</label>
          <select id="filter-scope" name="scope" defaultValue={params.scope} className={inputClass}>
            <option value="all">Any</option>
            <option value="LOCAL">Local</option>
            <option value="GLOBAL">Global</option>
          </select>
        </div>
        <div className="block text-sm">
          <label htmlFor="filter-kind" className="font-medium text-slate-700">Kind</label>
          <select id="filter-kind" name="kind" defaultValue={params.kind} className={inputClass}>
            <option value="all">Any</option>
            <option value="MASK">Mask</option>
            <option value="ROW_FILTER">Row filter</option>
          </select>
        </div>
        <div className="block text-sm">
          <label htmlFor="filter-on" className="font-medium text-slate-700">Data source or tag</label>
          <select id="filter-on" name="on" defaultValue={params.on} className={`${inputClass} max-w-64`}>
            <option value="">Any</option>
            {result.dataSources.length ? (
              <optgroup label="Bearing on data source">
                {result.dataSources.map((d) => (
                  <option key={d.id} value={`ds:${d.id}`}>
                    {d.view}
                  </option>
                ))}
              </optgroup>
            ) : null}
            {result.tags.length ? (
              <optgroup label="On tag (or below)">
                {result.tags.map((t) => (
                  <option key={t} value={`tag:${t}`}>
                    {t}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
        </div>
        <div className="block text-sm">
          <label htmlFor="filter-sort" className="font-medium text-slate-700">Sort by</label>
          <select id="filter-sort" name="sort" defaultValue={params.sort} className={inputClass}>
            {Object.entries(SORT_LABEL).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        {params.dir !== DEFAULT_POLICY_PARAMS.dir ? <input type="hidden" name="dir" value={params.dir} /> : null}
        <button className={buttonClass("secondary")}>Apply</button>
        {filtered ? (
          <Link href="/policies" className={buttonClass("ghost")}>
            Clear
          </Link>
        ) : null}
      </form>

      {result.all === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-500">
          <p>No policies yet: subscribers see every row and column as stored.</p>
          <Link href="/policies/new" className={`${buttonClass("primary")} mt-4`}>
            Write the first policy
          </Link>
        </div>
      ) : result.total === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-500">
          <p>No policy matches these filters.</p>
          <Link href="/policies" className="mt-2 inline-block text-indigo-700 hover:underline">
            Clear the filters
          </Link>
        </div>
      ) : (
        <>
          <p className="mb-2 text-sm text-slate-600" aria-live="polite">
            {result.total === result.all ? `${result.total} ${result.total === 1 ? "policy" : "policies"}` : `${result.total} of ${result.all} policies match`}
            {result.pages > 1 ? ` — showing ${first}–${first + result.rows.length - 1}` : ""}
          </p>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label="Policies">
              <thead className="bg-slate-50">
                <tr>
                  <SortHeader params={params} sort="name">Name</SortHeader>
                  <SortHeader params={params} sort="scope">Scope</SortHeader>
                  <SortHeader params={params} sort="target">Applies to</SortHeader>
                  <SortHeader params={params} sort="kind">Kind</SortHeader>
                  <th scope="col" className="px-4 py-2 text-left font-medium text-slate-600">What it does</th>
                  <SortHeader params={params} sort="created">Created</SortHeader>
                  <th scope="col" className="px-4 py-2 text-left font-medium text-slate-600"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {result.rows.map((p) => (
                  <tr key={p.id} data-testid={`policy-row-${p.id}`}>
                    <td className="px-4 py-2 align-top">
                      <Link href={`/policies/${p.id}`} className="font-medium text-indigo-700 hover:underline">
                        {p.name}
                      </Link>
                      {p.enabled ? null : <Badge tone="amber">disabled</Badge>}
                      {p.description ? <div className="line-clamp-2 max-w-72 text-xs text-slate-500">{p.description}</div> : null}
                    </td>
                    <td className="px-4 py-2 align-top">
                      <Badge tone={p.scope === "GLOBAL" ? "indigo" : "gray"}>{p.scope.toLowerCase()}</Badge>
                    </td>
                    <td className="px-4 py-2 align-top font-mono text-xs whitespace-nowrap">{p.target}</td>
                    <td className="px-4 py-2 align-top whitespace-nowrap">{p.kind === "MASK" ? "mask" : "row filter"}</td>
                    <td className="max-w-96 px-4 py-2 align-top text-xs text-slate-600">{p.summary}</td>
                    <td className="px-4 py-2 align-top text-xs whitespace-nowrap text-slate-600 tabular-nums">{p.createdAt.toISOString().slice(0, 10)}</td>
                    <td className="px-4 py-2 align-top">
                      <div className="flex shrink-0 items-center gap-1">
                        <Link href={`/policies/${p.id}`} className={buttonClass("ghost", "sm")} aria-label={`${p.canEdit ? "Edit" : "View"} policy ${p.name}`}>
                          {p.canEdit ? "Edit" : "View"}
                        </Link>
                        {p.canEdit ? <EnablePolicyButton id={p.id} name={p.name} enabled={p.enabled} version={p.version} toggle={setPolicyEnabledAction} /> : null}
                        {p.canEdit ? <DeletePolicyButton id={p.id} name={p.name} remove={deletePolicyAction} /> : null}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination page={result.page} pages={result.pages} href={(page) => policyListHref(params, { page })} />
        </>
      )}
    </>
  );
}

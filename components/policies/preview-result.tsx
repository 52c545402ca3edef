import { Badge } from "@/components/ui/badge";
import { cellText } from "@/lib/policies/cell-text";
import type { PreviewResult } from "@/lib/server/preview";
import { SqlBlock } from "./sql-block";

// What one user gets from one data source: visibility, each column's treatment and why, the row filters, the
// SQL, and rows fetched from Trino. Rendered inside the (client) preview form, so no server-only code here.

const h2 = "text-base font-semibold";
const card = "rounded-lg border border-slate-200 bg-white p-4";

function MaskCell({ c }: { c: PreviewResult["columns"][number] }) {
  if (!c.mask) return <span className="text-slate-500">as stored</span>;
  return (
    <div>
      <span className="font-medium">{c.mask.method}</span> <span className="text-slate-600">by “{c.mask.policyName}”</span>
      {c.mask.fallback ? <p className="mt-0.5 text-xs text-red-700">Fallback: {c.mask.fallback}</p> : null}
    </div>
  );
}

export function PreviewResultView({ r }: { r: PreviewResult }) {
  const who = r.user.kind === "real" ? r.user.username : `a hypothetical user (${r.user.username})`;
  const attrs = Object.entries(r.user.attributes).flatMap(([k, vs]) => vs.map((v) => `${k}=${v}`));
  return (
    <div className="space-y-6" data-testid="preview-result">
      <section aria-labelledby="pv-visibility" className={card}>
        <div className="flex flex-wrap items-center gap-2">
          <h2 id="pv-visibility" className={h2}>
            <span className="font-mono">{r.dataSource.view}</span> for {who}
          </h2>
          {r.visibility.visible ? <Badge tone="green">visible</Badge> : <Badge tone="amber">not visible</Badge>}
        </div>
        <p className="mt-1 text-sm text-slate-700" data-testid="visibility-reason">
          {r.visibility.reason}
        </p>
        <dl className="mt-3 grid grid-cols-[7rem_minmax(0,1fr)] gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-500">Groups</dt>
          <dd className="font-mono">{r.user.groups.join(", ") || <span className="font-sans text-slate-400">none</span>}</dd>
          <dt className="text-slate-500">Attributes</dt>
          <dd className="font-mono">{attrs.join(", ") || <span className="font-sans text-slate-400">none</span>}</dd>
          <dt className="text-slate-500">Active purposes</dt>
          <dd className="font-mono">{r.user.purposes.join(", ") || <span className="font-sans text-slate-400">none</span>}</dd>
        </dl>
      </section>

      {r.compileError ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {r.compileError}
        </p>
      ) : null}

      <section aria-labelledby="pv-columns" className={card}>
        <h2 id="pv-columns" className={h2}>
          Columns
        </h2>
        <p className="mt-0.5 text-xs text-slate-600">One mask per column: local over global, then the deeper tag, then the earlier policy.</p>
        <div className="mt-3 overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label="Columns as this user sees them">
            <thead className="bg-slate-50">
              <tr>
                <th scope="col" className="px-3 py-2 text-left font-medium text-slate-600">Column</th>
                <th scope="col" className="px-3 py-2 text-left font-medium text-slate-600">Type</th>
                <th scope="col" className="px-3 py-2 text-left font-medium text-slate-600">Shown</th>
                <th scope="col" className="px-3 py-2 text-left font-medium text-slate-600">Overridden</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {r.columns.map((c) => (
                <tr key={c.name} data-testid={`pv-col-${c.name}`}>
                  <td className="px-3 py-2 align-top">
                    <span className="font-mono">{c.name}</span>
                    {c.tags.length ? <div className="text-xs text-indigo-700">{c.tags.join(", ")}</div> : null}
                  </td>
                  <td className="px-3 py-2 align-top font-mono text-xs text-slate-600">
                    {c.type}
                    {c.type !== c.sourceType ? <div className="text-slate-400">stored {c.sourceType}</div> : null}
                  </td>
                  <td className="px-3 py-2 align-top">
                    <MaskCell c={c} />
                  </td>
                  <td className="px-3 py-2 align-top text-xs text-amber-900">
                    {c.mask?.overridden.length
                      ? c.mask.overridden.map((o) => (
                          <div key={o.policyId}>
                            “{o.policyName}” is overridden by “{c.mask!.policyName}”
                          </div>
                        ))
                      : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="pv-filters" className={card}>
        <h2 id="pv-filters" className={h2}>
          Row filters
        </h2>
        {r.rowFilters.length ? (
          <ul className="mt-2 space-y-1 text-sm" aria-label="Row filters applied">
            {r.rowFilters.map((f, i) => (
              <li key={`${f.policyId}-${i}`}>
                <span className="font-medium">{f.kind}</span> by “{f.policyName}”
                {f.fallback ? <span className="block text-xs text-red-700">Fallback: {f.fallback}</span> : null}
              </li>
            ))}
            {r.rowFilters.length > 1 ? <li className="text-xs text-slate-500">All of them hold for every row shown (ANDed).</li> : null}
          </ul>
        ) : (
          <p className="mt-2 text-sm text-slate-600">No row filter applies: every row.</p>
        )}
      </section>

      {r.sample ? (
        <section aria-labelledby="pv-sample" className={card}>
          <h2 id="pv-sample" className={h2}>
            Sample rows
          </h2>
          <p className="mt-0.5 text-xs text-slate-600" data-testid="sample-source">
            {r.sample.via === "user" ? (
              <>
                Fetched from Trino as <span className="font-mono">{r.sample.runAs}</span> through the governed view — the real enforcement path:{" "}
              </>
            ) : (
              <>
                A hypothetical user cannot sign in to Trino: the compiled SQL ran as the service user <span className="font-mono">{r.sample.runAs}</span>:{" "}
              </>
            )}
            <code className="break-all font-mono">{r.sample.statement.length > 160 ? `${r.sample.statement.slice(0, 160)}…` : r.sample.statement}</code>
          </p>
          {r.sample.result.ok ? (
            r.sample.result.rows.length ? (
              <div className="mt-3 max-h-[32rem] overflow-auto rounded-md border border-slate-200">
                <table className="min-w-full divide-y divide-slate-200 text-xs" aria-label="Sample rows">
                  <thead className="sticky top-0 bg-slate-50">
                    <tr>
                      {r.sample.result.columns.map((c) => (
                        <th key={c.name} scope="col" className="px-2 py-1.5 text-left font-medium whitespace-nowrap text-slate-600">
                          {c.name}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100 font-mono">
                    {r.sample.result.rows.map((row, i) => (
                      <tr key={i}>
                        {row.map((v, j) => {
                          const text = cellText(v);
                          return (
                            <td key={j} className="px-2 py-1 whitespace-nowrap">
                              {text === null ? <span className="font-sans text-slate-400 italic">NULL</span> : text}
                            </td>
                          );
                        })}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p className="mt-2 text-sm text-slate-600">No rows: the row filters leave nothing for this user.</p>
            )
          ) : (
            <div role="alert" className="mt-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
              <p className="font-medium">Trino answered with an error{r.sample.result.errorName ? ` (${r.sample.result.errorName})` : ""}:</p>
              <p className="mt-1 font-mono text-xs break-words">{r.sample.result.error}</p>
              {!r.visibility.visible && r.sample.via === "user" ? (
                <p className="mt-1 text-xs">Expected: the view is not visible to {r.user.username}, so for Trino it does not exist.</p>
              ) : null}
            </div>
          )}
        </section>
      ) : null}
      {r.sql ? (
        <section aria-labelledby="pv-sql" className={card}>
          <h2 id="pv-sql" className={h2}>
            View SQL
          </h2>
          <p className="mt-0.5 mb-2 text-xs text-slate-600">
            What the connector {r.visibility.visible ? "serves" : "would serve"} {r.user.kind === "real" ? r.user.username : "this user"} as{" "}
            <span className="font-mono">{r.dataSource.trinoName}</span>
            {r.visibility.visible ? "" : " once subscribed"}.
          </p>
          <SqlBlock sql={r.sql} label={`View SQL for ${r.user.username}`} />
        </section>
      ) : null}

      <section aria-labelledby="pv-policies" className={card}>
        <h2 id="pv-policies" className={h2}>
          Policies on this data source
        </h2>
        {r.policies.length ? (
          <ul className="mt-2 divide-y divide-slate-100 text-sm" aria-label="Policies on this data source">
            {r.policies.map((p) => (
              <li key={p.id} className="flex flex-wrap items-baseline gap-2 py-1.5">
                {p.applies ? <Badge tone="green">applies</Badge> : <Badge>does not apply</Badge>}
                <a href={`/policies/${p.id}`} className="font-medium text-indigo-700 hover:underline">
                  {p.name}
                </a>
                <span className="text-xs text-slate-500">{p.scope === "GLOBAL" ? `global · ${p.tag}` : "local"}</span>
                <span className="basis-full text-xs text-slate-600">{p.summary}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-2 text-sm text-slate-600">No enabled policy bears on this data source.</p>
        )}
      </section>

    </div>
  );
}

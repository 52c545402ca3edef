"use client";

import Link from "next/link";
import { Button, Field, fieldProps, FormMessage, inputClass } from "@/components/ui/form";
import { queryableName, tableKey } from "@/lib/data-sources/naming";
import type { TableRef } from "./table-picker";

export interface Draft {
  ref: TableRef;
  governedSchema: string;
  name: string;
  description: string;
  tags: string;
  columns: { state: "loading" } | { state: "error"; error: string } | { state: "ok"; items: { name: string; type: string }[] };
  columnTags: Record<string, string>;
  status: "idle" | "working" | "done" | "failed";
  error?: string;
  fieldErrors: Record<string, string[]>;
  result?: { id: string; view: string };
}

/** Errors for one field: the key itself and anything under it (`tags.2` belongs to `tags`). */
export function errorsFor(fieldErrors: Record<string, string[]>, key: string): string[] | undefined {
  const found = Object.entries(fieldErrors).filter(([k]) => k === key || k.startsWith(`${key}.`)).flatMap(([, v]) => v);
  return found.length ? [...new Set(found)] : undefined;
}

export function TableDraftCard({
  draft,
  index,
  governedCatalog,
  onChange,
  onRemove,
  onRetryColumns,
  disabled,
}: {
  draft: Draft;
  index: number;
  governedCatalog: string;
  onChange: (patch: Partial<Draft>) => void;
  onRemove: () => void;
  onRetryColumns: () => void;
  disabled: boolean;
}) {
  const key = tableKey(draft.ref);
  const p = `t${index}`;
  const e = (k: string) => errorsFor(draft.fieldErrors, k);
  const locked = disabled || draft.status === "done";
  return (
    <section aria-labelledby={`${p}-title`} className={`rounded-lg border bg-white ${draft.status === "done" ? "border-emerald-200 px-5 py-3" : "border-slate-200 p-5"}`} data-testid={`draft-${key}`}>
      <div className={`${draft.status === "done" ? "" : "mb-3"} flex flex-wrap items-baseline justify-between gap-2`}>
        <h3 id={`${p}-title`} className="font-mono text-sm font-medium">
          {key}
          <span className="mx-2 text-slate-400" aria-hidden>→</span>
          <span className="sr-only"> as </span>
          <span className="text-indigo-700">
            {draft.governedSchema && draft.name
              ? queryableName(governedCatalog, draft.governedSchema, draft.name)
              : `${governedCatalog}.${draft.governedSchema || "…"}.${draft.name || "…"}`}
          </span>
        </h3>
        {draft.status === "working" ? <span role="status" className="text-sm text-slate-600">Registering…</span> : null}
        {draft.status === "idle" || draft.status === "failed" ? (
          <Button tone="ghost" size="sm" disabled={disabled} onClick={onRemove} aria-label={`Remove ${key} from this registration`}>
            Remove
          </Button>
        ) : null}
        {draft.status === "done" && draft.result ? (
          <span role="status" className="text-sm text-emerald-700">
            Registered — <Link className="underline" href={`/data-sources/${draft.result.id}`}>open {draft.result.view}</Link>
          </span>
        ) : null}
      </div>
      {draft.status === "failed" && draft.error ? <div className="mb-3"><FormMessage>{draft.error}</FormMessage></div> : null}
      {draft.status === "done" ? null : (
      <fieldset disabled={locked} className="grid grid-cols-2 gap-x-4 gap-y-3">
        <legend className="sr-only">Governed view for {key}</legend>
        <Field id={`${p}-schema`} label="Governed schema" error={e("governedSchema")}>
          <input {...fieldProps(`${p}-schema`, e("governedSchema"))} value={draft.governedSchema} onChange={(ev) => onChange({ governedSchema: ev.target.value })} className={`${inputClass} font-mono`} autoComplete="off" />
        </Field>
        <Field id={`${p}-name`} label="View name" error={e("name")}>
          <input {...fieldProps(`${p}-name`, e("name"))} value={draft.name} onChange={(ev) => onChange({ name: ev.target.value })} className={`${inputClass} font-mono`} autoComplete="off" />
        </Field>
        <Field id={`${p}-description`} label="Description" error={e("description")} className="col-span-2">
          <textarea {...fieldProps(`${p}-description`, e("description"))} rows={2} maxLength={2000} value={draft.description} onChange={(ev) => onChange({ description: ev.target.value })} className={inputClass} />
        </Field>
        <Field id={`${p}-tags`} label="Table tags" hint="Comma-separated, dots for hierarchy: HR, Finance.Payroll" error={e("tags")} className="col-span-2">
          <input {...fieldProps(`${p}-tags`, e("tags"), true)} value={draft.tags} onChange={(ev) => onChange({ tags: ev.target.value })} className={inputClass} autoComplete="off" />
        </Field>
        <div className="col-span-2">
          <h4 className="text-sm font-medium text-slate-700">Columns from Trino</h4>
          {draft.columns.state === "loading" ? <p role="status" className="mt-1 text-sm text-slate-500">Reading columns from Trino…</p> : null}
          {draft.columns.state === "error" ? (
            <div className="mt-1 flex items-start gap-2">
              <div className="flex-1"><FormMessage>{draft.columns.error}</FormMessage></div>
              <Button tone="secondary" size="sm" onClick={onRetryColumns}>Try again</Button>
            </div>
          ) : null}
          {e("columnTags") ? <p className="mt-1 text-xs text-red-700">{e("columnTags")!.join(" ")}</p> : null}
          {draft.columns.state === "ok" ? (
            <div className="mt-1 max-h-72 overflow-y-auto rounded-md border border-slate-200">
              <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label={`Columns of ${key}`}>
                <thead className="sticky top-0 bg-slate-50">
                  <tr>
                    <th scope="col" className="px-3 py-1.5 text-left font-medium text-slate-600">Column</th>
                    <th scope="col" className="px-3 py-1.5 text-left font-medium text-slate-600">Type</th>
                    <th scope="col" className="w-1/2 px-3 py-1.5 text-left font-medium text-slate-600">
                      Tags <span className="font-normal text-slate-500">(comma-separated, e.g. PII.Email)</span>
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {draft.columns.items.map((c, i) => {
                    const id = `${p}-col-${i}`;
                    const err = e(`column:${c.name}`);
                    return (
                      <tr key={c.name}>
                        <td className="px-3 py-1 font-mono">{c.name}</td>
                        <td className="px-3 py-1 font-mono text-slate-600">{c.type}</td>
                        <td className="px-3 py-1">
                          <label htmlFor={id} className="sr-only">Tags for column {c.name}</label>
                          <input
                            {...fieldProps(id, err)}
                            value={draft.columnTags[c.name] ?? ""}
                            onChange={(ev) => onChange({ columnTags: { ...draft.columnTags, [c.name]: ev.target.value } })}
                            className={`${inputClass} mt-0 py-1`}
                            autoComplete="off"
                          />
                          {err ? <p id={`${id}-error`} className="mt-0.5 text-xs text-red-700">{err.join(" ")}</p> : null}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ) : null}
        </div>
      </fieldset>
      )}
    </section>
  );
}

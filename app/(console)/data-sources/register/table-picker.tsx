"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button, inputClass } from "@/components/ui/form";
import { tableKey } from "@/lib/data-sources/naming";
import type { RegisteredBacking } from "@/lib/server/data-source-registration";
import type { ActionResult } from "@/lib/server/handlers";
import { browseSchemasAction, browseTablesAction } from "../actions";

export interface TableRef {
  catalog: string;
  schema: string;
  table: string;
}

type Load<T> = { state: "idle" } | { state: "loading" } | { state: "error"; error: string } | { state: "ok"; items: T[] };

async function call<T>(p: Promise<ActionResult<T[]>>): Promise<Load<T>> {
  try {
    const r = await p;
    return r.ok ? { state: "ok", items: r.data } : { state: "error", error: r.error };
  } catch {
    return { state: "error", error: "The server could not be reached. Try again." };
  }
}

function Panel({ title, id, children }: { title: string; id: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="flex min-h-0 flex-col rounded-lg border border-slate-200 bg-white">
      <h3 id={id} className="border-b border-slate-200 px-3 py-2 text-sm font-medium text-slate-700">{title}</h3>
      <div className="min-h-0 flex-1 overflow-y-auto p-1">{children}</div>
    </section>
  );
}

function Status({ load, empty, label }: { load: Load<unknown>; empty: string; label: string }) {
  if (load.state === "loading") return <p role="status" className="px-3 py-4 text-sm text-slate-500">Loading {label}…</p>;
  if (load.state === "error") return <p role="alert" className="px-3 py-4 text-sm text-red-700">{load.error}</p>;
  if (load.state === "ok" && load.items.length === 0) return <p className="px-3 py-4 text-sm text-slate-500">{empty}</p>;
  return null;
}

function Choice({ selected, onClick, children }: { selected: boolean; onClick: () => void; children: React.ReactNode }) {
  return (
    <button
      type="button"
      aria-pressed={selected}
      onClick={onClick}
      className={`flex w-full items-center justify-between rounded-md px-3 py-1.5 text-left font-mono text-sm focus-visible:outline-2 focus-visible:outline-indigo-600 ${selected ? "bg-indigo-50 font-medium text-indigo-800" : "text-slate-800 hover:bg-slate-100"}`}
    >
      {children}
      <span aria-hidden className="text-slate-400">›</span>
    </button>
  );
}

/** "hr.employees (owned by olivia)": the data source that governs a backing table already. */
export const registeredAs = (r: RegisteredBacking) => `${r.view}${r.owners.length ? ` (owned by ${r.owners.join(", ")})` : ""}`;

/**
 * Catalogs › schemas › tables, as the Trino service user sees them; tables are picked with checkboxes. A table
 * that a data source governs already cannot be picked: a second one would bypass the first one's policies.
 */
export function TablePicker({
  catalogs,
  registered,
  selected,
  onToggle,
  onSetMany,
}: {
  catalogs: string[];
  registered: Record<string, RegisteredBacking>;
  selected: Map<string, TableRef>;
  onToggle: (ref: TableRef) => void;
  onSetMany: (refs: TableRef[], on: boolean) => void;
}) {
  const [catalog, setCatalog] = useState<string | null>(null);
  const [schema, setSchema] = useState<string | null>(null);
  const [schemas, setSchemas] = useState<Load<string>>({ state: "idle" });
  const [tables, setTables] = useState<Load<{ name: string; kind: "table" | "view" }>>({ state: "idle" });
  const [filter, setFilter] = useState("");

  async function openCatalog(c: string) {
    setCatalog(c);
    setSchema(null);
    setTables({ state: "idle" });
    setSchemas({ state: "loading" });
    setSchemas(await call(browseSchemasAction({ catalog: c })));
  }

  async function openSchema(s: string) {
    if (!catalog) return;
    setSchema(s);
    setFilter("");
    setTables({ state: "loading" });
    setTables(await call(browseTablesAction({ catalog, schema: s })));
  }

  const shown =
    tables.state === "ok" && catalog && schema
      ? tables.items.filter((t) => t.name.toLowerCase().includes(filter.trim().toLowerCase())).map((t) => ({ ...t, ref: { catalog, schema, table: t.name } }))
      : [];
  const pickable = shown.filter((t) => !registered[tableKey(t.ref)]);
  const allShownSelected = pickable.length > 0 && pickable.every((t) => selected.has(tableKey(t.ref)));

  return (
    <div className="grid h-[26rem] grid-cols-[minmax(10rem,1fr)_minmax(10rem,1fr)_minmax(16rem,2fr)] gap-3">
      <Panel title="Catalogs" id="picker-catalogs">
        <ul aria-label="Catalogs">
          {catalogs.map((c) => (
            <li key={c}>
              <Choice selected={c === catalog} onClick={() => openCatalog(c)}>{c}</Choice>
            </li>
          ))}
        </ul>
      </Panel>
      <Panel title={catalog ? `Schemas in ${catalog}` : "Schemas"} id="picker-schemas">
        {catalog === null ? <p className="px-3 py-4 text-sm text-slate-500">Choose a catalog.</p> : null}
        <Status load={schemas} empty="No schemas." label="schemas" />
        {schemas.state === "ok" ? (
          <ul aria-label="Schemas">
            {schemas.items.map((s) => (
              <li key={s}>
                <Choice selected={s === schema} onClick={() => openSchema(s)}>{s}</Choice>
              </li>
            ))}
          </ul>
        ) : null}
      </Panel>
      <Panel title={schema ? `Tables in ${catalog}.${schema}` : "Tables"} id="picker-tables">
        {schema === null ? <p className="px-3 py-4 text-sm text-slate-500">Choose a schema.</p> : null}
        <Status load={tables} empty="No tables in this schema." label="tables" />
        {tables.state === "ok" && tables.items.length > 0 ? (
          <>
            <div className="flex items-center gap-2 px-2 pb-2 pt-1">
              <label className="block flex-1 text-xs">
                <span className="sr-only">Filter tables</span>
                <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Filter tables" className={`${inputClass} mt-0`} />
              </label>
              <Button tone="ghost" size="sm" disabled={pickable.length === 0} onClick={() => onSetMany(pickable.map((t) => t.ref), !allShownSelected)}>
                {allShownSelected ? "Clear these" : `Select all ${pickable.length}`}
              </Button>
            </div>
            <ul aria-label="Tables" className="space-y-0.5">
              {shown.map((t) => {
                const key = tableKey(t.ref);
                const already = registered[key];
                return (
                  <li key={key}>
                    <label className={`flex items-start gap-2 rounded-md px-3 py-1.5 ${already ? "cursor-not-allowed" : "cursor-pointer hover:bg-slate-50"}`}>
                      <input
                        type="checkbox"
                        checked={selected.has(key)}
                        disabled={!!already && !selected.has(key)}
                        aria-describedby={already ? `registered-${key}` : undefined}
                        onChange={() => onToggle(t.ref)}
                        className="mt-0.5 size-4 accent-indigo-600"
                      />
                      <span className="min-w-0 flex-1">
                        <span className={`font-mono text-sm ${already ? "text-slate-500" : ""}`}>{t.name}</span> {t.kind === "view" ? <Badge>view</Badge> : null}
                        {already ? (
                          <span id={`registered-${key}`} className="block text-xs text-slate-500">
                            already registered as {registeredAs(already)}
                          </span>
                        ) : null}
                      </span>
                    </label>
                  </li>
                );
              })}
            </ul>
            {shown.length === 0 ? <p className="px-3 py-2 text-sm text-slate-500">No table matches “{filter}”.</p> : null}
          </>
        ) : null}
      </Panel>
    </div>
  );
}

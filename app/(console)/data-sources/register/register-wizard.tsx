"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { Button, Field, fieldProps, FormMessage, inputClass } from "@/components/ui/form";
import { splitList, tableKey, toGovernedIdentifier } from "@/lib/data-sources/naming";
import { identifier, tagName } from "@/lib/validations/data-source";
import type { RegisteredBacking } from "@/lib/server/data-source-registration";
import { describeTableAction, registerTableAction } from "../actions";
import { errorsFor, TableDraftCard, type Draft } from "./table-draft";
import { TablePicker, type TableRef } from "./table-picker";

type Access = "APPROVAL" | "OPEN" | "MANUAL";

const ACCESS: { value: Access; label: string; hint: string }[] = [
  { value: "APPROVAL", label: "On approval", hint: "Users request with a reason; an owner or a governor approves." },
  { value: "OPEN", label: "Open", hint: "Any user subscribes at once." },
  { value: "MANUAL", label: "Manual", hint: "Only owners add subscribers." },
];

function newDraft(ref: TableRef): Draft {
  return {
    ref,
    governedSchema: toGovernedIdentifier(ref.schema),
    name: toGovernedIdentifier(ref.table),
    description: "",
    tags: "",
    columns: { state: "loading" },
    columnTags: {},
    status: "idle",
    fieldErrors: {},
  };
}

const firstIssue = (r: { success: boolean; error?: { issues: { message: string }[] } }) => (r.success ? undefined : [r.error!.issues[0].message]);

/** The same rules the server applies, checked before anything is sent, so mistakes show next to their field. */
function validate(d: Draft, all: Draft[]): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const put = (k: string, v: string[] | undefined) => {
    if (v) errors[k] = v;
  };
  put("governedSchema", firstIssue(identifier.safeParse(d.governedSchema)));
  put("name", firstIssue(identifier.safeParse(d.name)));
  const view = `${d.governedSchema.trim()}.${d.name.trim()}`;
  if (!errors.name && all.some((o) => o !== d && o.status !== "done" && `${o.governedSchema.trim()}.${o.name.trim()}` === view)) {
    errors.name = ["Another selected table has the same governed name."];
  }
  const badTags = (text: string) => {
    const bad = splitList(text).filter((t) => !tagName.safeParse(t).success);
    return bad.length ? [`Not a tag: ${bad.join(", ")}. Use letters, digits, _ and -, with dots between levels.`] : undefined;
  };
  put("tags", badTags(d.tags));
  for (const [col, text] of Object.entries(d.columnTags)) put(`column:${col}`, badTags(text));
  return errors;
}

export function RegisterWizard({ catalogs, registered, me, governedCatalog }: { catalogs: string[]; registered: Record<string, RegisteredBacking>; me: string; governedCatalog: string }) {
  const router = useRouter();
  const [step, setStep] = useState<"pick" | "details">("pick");
  const [selected, setSelected] = useState<Map<string, TableRef>>(new Map());
  const [drafts, setDrafts] = useState<Map<string, Draft>>(new Map());
  const [owners, setOwners] = useState("");
  const [access, setAccess] = useState<Access>("APPROVAL");
  const [maxDays, setMaxDays] = useState("");
  const [sharedErrors, setSharedErrors] = useState<Record<string, string[]>>({});
  const [progress, setProgress] = useState<{ done: number; total: number; current?: string } | null>(null);
  const [summary, setSummary] = useState<string | null>(null);
  const running = progress !== null && progress.done < progress.total;
  const heading = useRef<HTMLHeadingElement>(null);

  const patch = useCallback((key: string, p: Partial<Draft>) => {
    setDrafts((prev) => {
      const d = prev.get(key);
      if (!d) return prev;
      const next = new Map(prev);
      next.set(key, { ...d, ...p });
      return next;
    });
  }, []);

  const loadColumns = useCallback(
    async (ref: TableRef) => {
      const key = tableKey(ref);
      patch(key, { columns: { state: "loading" } });
      try {
        const r = await describeTableAction(ref);
        patch(key, { columns: r.ok ? { state: "ok", items: r.data } : { state: "error", error: r.error } });
      } catch {
        patch(key, { columns: { state: "error", error: "The server could not be reached. Try again." } });
      }
    },
    [patch],
  );

  useEffect(() => {
    heading.current?.focus();
  }, [step]);

  function toggle(ref: TableRef) {
    const key = tableKey(ref);
    setSelected((prev) => {
      const next = new Map(prev);
      if (next.has(key)) next.delete(key);
      else next.set(key, ref);
      return next;
    });
  }

  function setMany(refs: TableRef[], on: boolean) {
    setSelected((prev) => {
      const next = new Map(prev);
      for (const r of refs) {
        if (on) next.set(tableKey(r), r);
        else next.delete(tableKey(r));
      }
      return next;
    });
  }

  async function toDetails() {
    const fresh = [...selected.entries()].filter(([k]) => !drafts.has(k));
    setDrafts((prev) => {
      const next = new Map<string, Draft>();
      for (const [k, ref] of selected) next.set(k, prev.get(k) ?? newDraft(ref));
      return next;
    });
    setStep("details");
    for (const [, ref] of fresh) await loadColumns(ref);
  }

  function remove(key: string) {
    setSelected((prev) => {
      const next = new Map(prev);
      next.delete(key);
      return next;
    });
    setDrafts((prev) => {
      const next = new Map(prev);
      next.delete(key);
      return next;
    });
  }

  function validateShared(): Record<string, string[]> {
    const errors: Record<string, string[]> = {};
    const bad = splitList(owners).filter((o) => !/^[^\s,]{1,128}$/.test(o));
    if (bad.length) errors.owners = [`Not a user name: ${bad.join(", ")}.`];
    if (maxDays.trim()) {
      const n = Number(maxDays);
      if (!Number.isInteger(n) || n < 1 || n > 3650) errors.maxDays = ["A whole number of days from 1 to 3650, or empty for no expiry."];
    }
    return errors;
  }

  async function registerAll() {
    setSummary(null);
    const list = [...drafts.values()];
    const shared = validateShared();
    setSharedErrors(shared);
    let invalid = Object.keys(shared).length > 0;
    for (const d of list) {
      if (d.status === "done") continue;
      const fieldErrors = validate(d, list);
      if (Object.keys(fieldErrors).length) invalid = true;
      patch(tableKey(d.ref), { fieldErrors, status: Object.keys(fieldErrors).length ? "failed" : d.status, error: Object.keys(fieldErrors).length ? "Fix the fields marked below." : undefined });
    }
    if (invalid) {
      requestAnimationFrame(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    const todo = list.filter((d) => d.status !== "done");
    const results: { id: string; view: string }[] = [];
    let failed = 0;
    setProgress({ done: 0, total: todo.length });
    for (const [i, d] of todo.entries()) {
      const key = tableKey(d.ref);
      setProgress({ done: i, total: todo.length, current: key });
      patch(key, { status: "working", error: undefined, fieldErrors: {} });
      const columnTags = Object.entries(d.columnTags)
        .map(([name, text]) => ({ name, tags: splitList(text) }))
        .filter((c) => c.tags.length > 0);
      const payload = {
        backing: d.ref,
        governedSchema: d.governedSchema.trim(),
        name: d.name.trim(),
        description: d.description,
        tags: splitList(d.tags),
        owners: splitList(owners).filter((o) => o.toLowerCase() !== me),
        columnTags,
        subscription: { type: access, ...(maxDays.trim() ? { maxDays: Number(maxDays) } : {}) },
      };
      try {
        const r = await registerTableAction(payload);
        if (r.ok) {
          results.push(r.data);
          patch(key, { status: "done", result: r.data });
        } else {
          failed++;
          const fieldErrors: Record<string, string[]> = {};
          for (const [k, v] of Object.entries(r.fieldErrors ?? {})) {
            const m = /^columnTags\.(\d+)/.exec(k);
            const target = m && columnTags[Number(m[1])] ? `column:${columnTags[Number(m[1])].name}` : k;
            (fieldErrors[target] ??= []).push(...v);
          }
          if (errorsFor(fieldErrors, "owners") || errorsFor(fieldErrors, "subscription")) {
            setSharedErrors({ owners: errorsFor(fieldErrors, "owners") ?? [], maxDays: errorsFor(fieldErrors, "subscription") ?? [] });
          }
          patch(key, { status: "failed", error: Object.keys(fieldErrors).length ? `${r.error.replace(/\.$/, "")}: fix the fields marked below.` : r.error, fieldErrors });
        }
      } catch {
        failed++;
        patch(key, { status: "failed", error: "The server could not be reached. Try again." });
      }
    }
    setProgress({ done: todo.length, total: todo.length });
    if (failed === 0 && list.length === 1 && results[0]) {
      router.push(`/data-sources/${results[0].id}`);
      return;
    }
    if (todo.length > 1) {
      setSummary(failed === 0 ? `Registered ${results.length} of ${todo.length} tables.` : `Registered ${results.length} of ${todo.length}; ${failed} failed — see the messages above.`);
    }
  }

  if (step === "pick") {
    return (
      <div>
        <h2 ref={heading} tabIndex={-1} className="mb-3 text-lg font-medium focus:outline-none">1. Choose tables</h2>
        <TablePicker catalogs={catalogs} registered={registered} selected={selected} onToggle={toggle} onSetMany={setMany} />
        <div className="sticky bottom-0 mt-4 flex flex-wrap items-center gap-3 border-t border-slate-200 bg-slate-50 py-3 shadow-[0_-6px_12px_-8px_rgba(15,23,42,0.15)]">
          <p className="text-sm text-slate-700" aria-live="polite">
            {selected.size === 0 ? "No table selected." : `${selected.size} table${selected.size === 1 ? "" : "s"} selected:`}
          </p>
          <ul className="flex flex-1 flex-wrap gap-1" aria-label="Selected tables">
            {[...selected.entries()].map(([key, ref]) => (
              <li key={key} className="inline-flex items-center gap-1 rounded bg-indigo-50 py-0.5 pl-2 pr-1 font-mono text-xs text-indigo-800">
                {key}
                <button type="button" onClick={() => toggle(ref)} aria-label={`Remove ${key}`} className="rounded px-1 hover:bg-indigo-100 focus-visible:outline-2 focus-visible:outline-indigo-600">
                  ×
                </button>
              </li>
            ))}
          </ul>
          <Button disabled={selected.size === 0} onClick={toDetails}>
            Continue
          </Button>
        </div>
      </div>
    );
  }

  const list = [...drafts.values()];
  const pending = list.filter((d) => d.status !== "done");
  const loading = list.some((d) => d.columns.state === "loading");
  return (
    <div>
      <h2 ref={heading} tabIndex={-1} className="mb-3 text-lg font-medium focus:outline-none">
        2. Describe {list.length === 1 ? "the view" : `${list.length} views`}
      </h2>
      <fieldset disabled={running} className="mb-4 grid grid-cols-[1fr_auto] gap-x-6 gap-y-3 rounded-lg border border-slate-200 bg-white p-5">
        <legend className="sr-only">Settings for every selected table</legend>
        <Field id="owners" label="Other owners" hint={`You (${me}) own what you register. Add others by user name, comma-separated.`} error={sharedErrors.owners?.length ? sharedErrors.owners : undefined}>
          <input {...fieldProps("owners", sharedErrors.owners?.length ? sharedErrors.owners : undefined, true)} value={owners} onChange={(e) => setOwners(e.target.value)} placeholder="e.g. carol, gwen" className={inputClass} autoComplete="off" />
        </Field>
        <Field id="maxDays" label="Access expires after (days)" hint="Empty: grants never expire." error={sharedErrors.maxDays?.length ? sharedErrors.maxDays : undefined}>
          <input {...fieldProps("maxDays", sharedErrors.maxDays?.length ? sharedErrors.maxDays : undefined, true)} inputMode="numeric" value={maxDays} onChange={(e) => setMaxDays(e.target.value)} className={`${inputClass} w-40`} />
        </Field>
        <fieldset className="col-span-2">
          <legend className="text-sm font-medium text-slate-700">Who gets access</legend>
          <div className="mt-1 flex flex-wrap gap-x-6 gap-y-1">
            {ACCESS.map((a) => (
              <label key={a.value} className="flex max-w-xs items-start gap-2 text-sm">
                <input type="radio" name="access" value={a.value} checked={access === a.value} onChange={() => setAccess(a.value)} className="mt-1 accent-indigo-600" />
                <span>
                  <span className="font-medium">{a.label}</span>
                  <span className="block text-xs text-slate-500">{a.hint}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      </fieldset>

      <div className="space-y-4">
        {list.map((d, i) => (
          <TableDraftCard
            key={tableKey(d.ref)}
            draft={d}
            index={i}
            governedCatalog={governedCatalog}
            disabled={running}
            onChange={(p) => patch(tableKey(d.ref), { ...p, fieldErrors: {}, error: undefined, status: d.status === "failed" ? "idle" : d.status })}
            onRemove={() => remove(tableKey(d.ref))}
            onRetryColumns={() => loadColumns(d.ref)}
          />
        ))}
      </div>

      <div className="sticky bottom-0 mt-4 border-t border-slate-200 bg-slate-50 py-3 shadow-[0_-6px_12px_-8px_rgba(15,23,42,0.15)]">
        {progress && (running || progress.total > 1) ? (
          <div className="mb-2 flex items-center gap-3" role="status" aria-live="polite">
            <progress
              value={progress.done}
              max={progress.total}
              aria-label="Registration progress"
              className="h-2 w-64 overflow-hidden rounded-full [&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-indigo-600"
            />
            <span className="text-sm text-slate-700">
              {running ? `Registering ${progress.done + 1} of ${progress.total}: ${progress.current ?? ""}` : `Done: ${progress.total} processed.`}
            </span>
          </div>
        ) : null}
        {summary ? <div className="mb-2"><FormMessage kind={summary.includes("failed") ? "error" : "success"}>{summary}</FormMessage></div> : null}
        <div className="flex items-center gap-3">
          <Button tone="secondary" disabled={running} onClick={() => setStep("pick")}>
            Back to tables
          </Button>
          {pending.length > 0 ? (
            <Button disabled={running || loading || pending.length === 0} onClick={registerAll}>
              {running ? "Registering…" : list.some((d) => d.status === "done") ? `Register the ${pending.length} remaining` : `Register ${pending.length} table${pending.length === 1 ? "" : "s"}`}
            </Button>
          ) : (
            <Button onClick={() => router.push("/data-sources")}>Go to the catalogue</Button>
          )}
          {loading ? <span role="status" className="text-sm text-slate-500">Reading columns from Trino…</span> : null}
        </div>
      </div>
    </div>
  );
}

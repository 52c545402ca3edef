"use client";

import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import { inputClass } from "@/components/ui/form";
import type { ActionResult } from "@/lib/server/handlers";
import type { BuilderOptions } from "@/lib/server/policy-options";
import type { DraftCompileResult } from "@/lib/server/preview";
import type { PolicyCreateInput } from "@/lib/validations/policy";
import type { CompileDraftInput } from "@/lib/validations/preview";
import { SqlBlock } from "./sql-block";

export type CompileFn = (input: CompileDraftInput) => Promise<ActionResult<DraftCompileResult>>;

const covers = (ancestor: string, tag: string) => tag === ancestor || tag.startsWith(`${ancestor}.`);

/** The user a preview starts with: a user without roles (the people policies are written for), else the first. */
export function defaultSampleUser(users: BuilderOptions["users"]): string {
  return (users.find((u) => u.plain) ?? users[0])?.username ?? "";
}

/**
 * The view SQL with the policy being edited and every other enabled policy, for one data source and user,
 * compiled on the server without saving (debounced while typing), with conflicts and fallbacks spelled out.
 */
export function CompiledPanel({
  draft,
  scope,
  policyId,
  options,
  compile,
}: {
  /** the policy as the form stands, or why it cannot compile yet */
  draft: { policy: PolicyCreateInput } | { problem: string };
  /** the form's scope and data source, known even while the draft does not validate */
  scope: { scope: "LOCAL" | "GLOBAL"; dataSourceId: string };
  policyId?: string;
  options: BuilderOptions;
  compile: CompileFn;
}) {
  const id = useId();
  const [username, setUsername] = useState(() => defaultSampleUser(options.users));
  const [chosenDs, setChosenDs] = useState("");
  const [result, setResult] = useState<DraftCompileResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const seq = useRef(0);

  const policy = "policy" in draft ? draft.policy : null;
  const local = scope.scope === "LOCAL";
  const tag = policy?.scope === "GLOBAL" ? policy.tag : undefined;
  const covered = tag ? options.dataSources.filter((d) => [...d.tags, ...d.columns.flatMap((c) => c.tags)].some((t) => covers(tag, t))) : [];
  const others = options.dataSources.filter((d) => !covered.includes(d));
  const dataSourceId = local ? scope.dataSourceId : chosenDs && options.dataSources.some((d) => d.id === chosenDs) ? chosenDs : (covered[0] ?? options.dataSources[0])?.id ?? "";
  const key = policy ? JSON.stringify(policy) : null;

  useEffect(() => {
    if (!key || !dataSourceId || !username) return;
    const mine = ++seq.current;
    setPending(true);
    const timer = setTimeout(async () => {
      let r: ActionResult<DraftCompileResult>;
      try {
        r = await compile({ policy: JSON.parse(key), ...(policyId ? { policyId } : {}), dataSourceId, username });
      } catch {
        r = { ok: false, status: 0, error: "The server could not be reached." };
      }
      if (mine !== seq.current) return;
      setPending(false);
      if (r.ok) {
        setResult(r.data);
        setError(null);
      } else {
        setError(r.error);
      }
    }, 400);
    return () => clearTimeout(timer);
  }, [key, dataSourceId, username, policyId, compile]);

  const fallbacks = result
    ? [
        ...result.columns.filter((c) => c.mask?.fallback).map((c) => ({ what: c.name, policy: c.mask!.policyName, why: c.mask!.fallback! })),
        ...result.rowFilters.filter((f) => f.fallback).map((f) => ({ what: "row filter", policy: f.policyName, why: f.fallback! })),
      ]
    : [];
  const draftId = policyId ?? "draft";
  const mine = result ? result.columns.filter((c) => c.mask && (c.mask.policyId === draftId || c.mask.overridden.some((o) => o.policyId === draftId))) : [];

  return (
    <section aria-labelledby={`${id}-title`} className="rounded-lg border border-slate-200 bg-white p-4" data-testid="compiled-panel">
      <h2 id={`${id}-title`} className="text-base font-semibold">
        Compiled SQL
      </h2>
      <p className="mt-0.5 text-xs text-slate-600">The view this user would get with this policy and every other one in force. Nothing is saved.</p>
      <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-1 xl:grid-cols-2">
        <div>
          {local ? (
            <>
              <p className="block text-sm font-medium text-slate-700">Data source</p>
              <p className="mt-1 truncate py-1.5 font-mono text-sm">{options.dataSources.find((d) => d.id === dataSourceId)?.view ?? "—"}</p>
            </>
          ) : (
            <label htmlFor={`${id}-ds`} className="block text-sm font-medium text-slate-700">
              Compile for data source
            </label>
          )}
          {local ? null : (
            <select id={`${id}-ds`} value={dataSourceId} onChange={(e) => setChosenDs(e.target.value)} className={inputClass}>
              {covered.length ? (
                <optgroup label={`Tagged ${tag}`}>
                  {covered.map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.view}
                    </option>
                  ))}
                </optgroup>
              ) : null}
              <optgroup label={covered.length ? "Not tagged (the policy does not apply)" : "Data sources"}>
                {others.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.view}
                  </option>
                ))}
              </optgroup>
            </select>
          )}
        </div>
        <div>
          <label htmlFor={`${id}-user`} className="block text-sm font-medium text-slate-700">
            Sample user
          </label>
          <select id={`${id}-user`} value={username} onChange={(e) => setUsername(e.target.value)} className={inputClass}>
            {options.users.map((u) => (
              <option key={u.username} value={u.username}>
                {u.username}
              </option>
            ))}
          </select>
        </div>
      </div>

      <div className="mt-3 space-y-2 text-sm" aria-live="polite" aria-busy={pending}>
        {"problem" in draft ? (
          <p className="rounded-md border border-dashed border-slate-300 px-3 py-2 text-slate-600">{draft.problem}</p>
        ) : !dataSourceId ? (
          <p className="rounded-md border border-dashed border-slate-300 px-3 py-2 text-slate-600">No data source to compile for.</p>
        ) : error ? (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-red-800">
            {error}
          </p>
        ) : null}

        {result && policy && !error ? (
          <>
            <ul className="space-y-1" data-testid="compiled-status">
              {!result.inScope ? (
                <li className="text-amber-800">Not in scope: {result.view} carries no tag under {tag}.</li>
              ) : result.applies ? (
                <li className="text-emerald-800">Applies to {result.username}.</li>
              ) : (
                <li className="text-slate-700">Does not apply to {result.username} (their groups, attributes or purposes are outside “who”).</li>
              )}
              {result.inScope && result.applies && policy.action.type === "MASK" ? (
                <li className="text-slate-700">
                  {mine.length ? <>Masks {mine.map((c) => c.name).join(", ")}.</> : "Targets no column of this data source."}
                </li>
              ) : null}
            </ul>
            {policy.action.type === "ROW_FILTER" ? (
              <div>
                <h3 className="text-sm font-medium text-slate-800">Row filters for {result.username} (ANDed)</h3>
                {result.rowFilters.length ? (
                  <ul aria-label="Row filters" className="mt-1 list-inside list-disc text-slate-700">
                    {result.rowFilters.map((f, i) => (
                      <li key={`${f.policyId}-${i}`}>
                        {f.kind} by {f.policyId === draftId ? <strong>this policy</strong> : <>“{f.policyName}”</>}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p className="mt-1 text-slate-600">None: every row.</p>
                )}
              </div>
            ) : null}
            {result.conflicts.length ? (
              <div className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2">
                <h3 className="text-sm font-medium text-amber-900">Conflicts</h3>
                <ul aria-label="Conflicts" className="mt-1 space-y-1 text-amber-900">
                  {result.conflicts.map((c) => (
                    <li key={c.column}>
                      <span className="font-mono">{c.column}</span>:{" "}
                      {c.overridden.map((o, i) => (
                        <span key={o.policyId}>
                          {i ? "; " : ""}“{o.policyName}” is overridden by “{c.winner.policyName}”
                        </span>
                      ))}
                    </li>
                  ))}
                </ul>
                <p className="mt-1 text-xs text-amber-800">One mask per column: local over global, then the deeper tag, then the earlier policy.</p>
              </div>
            ) : null}
            {fallbacks.length ? (
              <div className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-red-900">
                <h3 className="text-sm font-medium">Fallbacks</h3>
                <ul aria-label="Fallbacks" className="mt-1 space-y-1">
                  {fallbacks.map((f, i) => (
                    <li key={i}>
                      <span className="font-mono">{f.what}</span> (“{f.policy}”): {f.why}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {result.compileError ? (
              <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-red-800">
                {result.compileError}
              </p>
            ) : null}
            {result.sql ? <SqlBlock sql={result.sql} label={`Compiled SQL of ${result.view} for ${result.username}`} /> : null}
            {pending ? <p className="text-xs text-slate-500">Updating…</p> : null}
            <Link href={`/policies/preview?ds=${encodeURIComponent(dataSourceId)}&user=${encodeURIComponent(username)}`} className="inline-block text-sm text-indigo-700 hover:underline">
              View as {username} with sample rows (saved policies) →
            </Link>
          </>
        ) : pending && policy ? (
          <p className="text-xs text-slate-500">Compiling…</p>
        ) : null}
      </div>
    </section>
  );
}

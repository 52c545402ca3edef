"use client";

import { Button, inputClass } from "@/components/ui/form";
import { emptyTerm, TERM_KINDS, TERM_LABEL, type TermForm } from "@/lib/policies/form";

// A small any/all-of condition editor (group, attribute k=v, purpose, user) for a data source's AUTO access.
// The policy builder's WhoFieldset is bound to a whole policy form; this one edits just a condition. Control
// ids are the zod paths under `condition` (`condition.terms.0.group`), so the server's errors land on them.

export interface ConditionForm {
  match: "any" | "all";
  terms: TermForm[];
}

const valueKey = (t: TermForm) => (t.kind === "group" ? "group" : t.kind === "purpose" ? "purpose" : t.kind === "user" ? "username" : "value");

function ErrorText({ id, errors }: { id: string; errors?: string[] }) {
  return errors?.length ? <p id={`${id}-error`} className="mt-1 text-xs text-red-700">{errors.join(" ")}</p> : null;
}

export function ConditionEditor({ value, onChange, err }: { value: ConditionForm; onChange: (c: ConditionForm) => void; err: (key: string) => string[] | undefined }) {
  const setTerm = (i: number, t: TermForm) => onChange({ ...value, terms: value.terms.map((x, j) => (j === i ? t : x)) });
  const whole = [...(err("condition") ?? []), ...(err("condition.terms") ?? [])];
  return (
    <fieldset aria-describedby={whole.length ? "condition-error" : undefined}>
      <legend className="text-sm font-medium text-slate-700">Users matching</legend>
      <div className="mt-1 flex gap-4 text-sm">
        {(["any", "all"] as const).map((m) => (
          <label key={m} className="flex items-center gap-1.5">
            <input type="radio" name="condition.match" value={m} checked={value.match === m} onChange={() => onChange({ ...value, match: m })} className="accent-indigo-600" />
            {m} of
          </label>
        ))}
      </div>
      <ul className="mt-2 space-y-2" aria-label="Conditions">
        {value.terms.map((t, i) => {
          const base = `condition.terms.${i}`;
          const vId = `${base}.${valueKey(t)}`;
          const kId = `${base}.key`;
          const n = i + 1;
          return (
            <li key={i} className="grid grid-cols-1 items-start gap-2 rounded-md bg-slate-50 p-2 sm:grid-cols-[8rem_minmax(0,1fr)_auto]" data-testid={`term-${i}`}>
              <div>
                <label htmlFor={`${base}.kind`} className="sr-only">Condition {n}: kind</label>
                <select id={`${base}.kind`} value={t.kind} onChange={(e) => setTerm(i, emptyTerm(e.target.value as TermForm["kind"]))} className={`${inputClass} mt-0`}>
                  {TERM_KINDS.map((k) => (
                    <option key={k} value={k}>{TERM_LABEL[k]}</option>
                  ))}
                </select>
              </div>
              <div className={t.kind === "attribute" ? "grid grid-cols-[minmax(0,1fr)_auto_minmax(0,1fr)] items-start gap-1" : ""}>
                {t.kind === "attribute" ? (
                  <>
                    <div>
                      <label htmlFor={kId} className="sr-only">Condition {n}: attribute key</label>
                      <input id={kId} name={kId} aria-invalid={err(kId) ? true : undefined} aria-describedby={err(kId) ? `${kId}-error` : undefined} value={t.key} placeholder="key" autoComplete="off" onChange={(e) => setTerm(i, { ...t, key: e.target.value })} className={`${inputClass} mt-0 font-mono`} />
                      <ErrorText id={kId} errors={err(kId)} />
                    </div>
                    <span className="pt-1.5 text-slate-500" aria-hidden>=</span>
                  </>
                ) : null}
                <div>
                  <label htmlFor={vId} className="sr-only">Condition {n}: {t.kind === "attribute" ? "attribute value" : TERM_LABEL[t.kind].toLowerCase()}</label>
                  <input id={vId} name={vId} aria-invalid={err(vId) ? true : undefined} aria-describedby={err(vId) ? `${vId}-error` : undefined} value={t.value} placeholder={t.kind === "attribute" ? "value" : t.kind === "user" ? "username" : t.kind} autoComplete="off" onChange={(e) => setTerm(i, { ...t, value: e.target.value })} className={`${inputClass} mt-0 font-mono`} />
                  <ErrorText id={vId} errors={err(vId)} />
                </div>
              </div>
              <Button tone="dangerGhost" size="sm" className="mt-1" onClick={() => onChange({ ...value, terms: value.terms.filter((_, j) => j !== i) })} disabled={value.terms.length <= 1} aria-label={`Remove condition ${n}`}>
                Remove
              </Button>
            </li>
          );
        })}
      </ul>
      {whole.length ? <p id="condition-error" className="mt-1 text-xs text-red-700">{whole.join(" ")}</p> : null}
      <Button tone="ghost" size="sm" className="mt-2" onClick={() => onChange({ ...value, terms: [...value.terms, emptyTerm()] })}>
        + Add a condition
      </Button>
    </fieldset>
  );
}

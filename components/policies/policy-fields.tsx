"use client";

import { Button, Field, fieldProps, inputClass } from "@/components/ui/form";
import {
  emptyTerm,
  FILTER_KINDS,
  FILTER_LABEL,
  MASK_LABEL,
  MASK_METHODS,
  ROUND_UNITS,
  TERM_KINDS,
  TERM_LABEL,
  TIME_UNITS,
  WHO_LABEL,
  WHO_TYPES,
  unknownAttributeKeyWarning,
  unknownValueWarning,
  type PolicyForm,
  type TermForm,
} from "@/lib/policies/form";
import type { BuilderDataSource, BuilderOptions } from "@/lib/server/policy-options";
import { TokenInput } from "./token-input";

// The builder's fieldsets. Every control's id is the zod path of the value it edits (`action.mask.n`), so
// inline errors from the client-side check and from the server's 422 land on the same control.

export type SetForm = (patch: Partial<PolicyForm>) => void;
export type ErrorsFor = (key: string) => string[] | undefined;

const legendClass = "text-sm font-semibold text-slate-800";
const fieldsetClass = "rounded-lg border border-slate-200 bg-white p-4";
const radioRow = "flex items-start gap-2 text-sm";

function Radio({ name, value, checked, onChange, label, hint, disabled }: { name: string; value: string; checked: boolean; onChange: () => void; label: string; hint?: string; disabled?: boolean }) {
  const id = `${name}-${value}`;
  return (
    <div className={radioRow}>
      <input type="radio" id={id} name={name} value={value} checked={checked} onChange={onChange} disabled={disabled} className="mt-0.5 accent-indigo-600" aria-describedby={hint ? `${id}-hint` : undefined} />
      <div>
        <label htmlFor={id} className={disabled ? "text-slate-400" : "text-slate-800"}>
          {label}
        </label>
        {hint ? (
          <p id={`${id}-hint`} className="text-xs text-slate-500">
            {hint}
          </p>
        ) : null}
      </div>
    </div>
  );
}

function Datalist({ id, values }: { id: string; values: readonly string[] }) {
  return (
    <datalist id={id}>
      {values.map((v) => (
        <option key={v} value={v} />
      ))}
    </datalist>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Scope
// ---------------------------------------------------------------------------------------------------------

export function ScopeFieldset({ form, set, err, options, locked }: { form: PolicyForm; set: SetForm; err: ErrorsFor; options: BuilderOptions; locked: boolean }) {
  return (
    <fieldset className={fieldsetClass}>
      <legend className={`${legendClass} px-1`}>Scope</legend>
      <div className="grid gap-2 sm:grid-cols-2">
        <Radio
          name="scope"
          value="LOCAL"
          checked={form.scope === "LOCAL"}
          disabled={locked}
          onChange={() => set({ scope: "LOCAL", targetType: "columns" })}
          label="Local: one data source"
          hint="Pick columns from its table."
        />
        <Radio
          name="scope"
          value="GLOBAL"
          checked={form.scope === "GLOBAL"}
          disabled={locked || !options.canGlobal}
          onChange={() => set({ scope: "GLOBAL", targetType: "tag", targetColumns: [], keyColumns: [] })}
          label="Global: every data source with a tag"
          hint={options.canGlobal ? "Tables or columns tagged with it or below it." : "Global policies need the role GOVERNOR."}
        />
      </div>
      {locked ? <p className="mt-2 text-xs text-slate-500">A saved policy keeps its scope; create a new policy for the other one.</p> : null}
      <div className="mt-3">
        {form.scope === "LOCAL" ? (
          <Field id="dataSourceId" label="Data source" error={err("dataSourceId")}>
            <select
              {...fieldProps("dataSourceId", err("dataSourceId"))}
              value={form.dataSourceId}
              onChange={(e) => set({ dataSourceId: e.target.value })}
              className={inputClass}
            >
              <option value="">Choose a data source…</option>
              {options.dataSources.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.view}
                  {d.status === "DISABLED" ? " (disabled)" : ""}
                </option>
              ))}
            </select>
          </Field>
        ) : (
          <Field id="tag" label="Tag" hint="Existing tags are suggested; a new one is created when saved." error={err("tag")}>
            <input
              {...fieldProps("tag", err("tag"), true)}
              value={form.tag}
              list="tag-suggestions"
              autoComplete="off"
              placeholder="PII.Email"
              onChange={(e) => set({ tag: e.target.value, ...(form.targetType === "tag" && (form.targetTag === "" || form.targetTag === form.tag) ? { targetTag: e.target.value } : {}) })}
              className={`${inputClass} font-mono`}
            />
          </Field>
        )}
      </div>
      <Datalist id="tag-suggestions" values={options.tags} />
    </fieldset>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Who
// ---------------------------------------------------------------------------------------------------------

function termValueKey(t: TermForm): string {
  return t.kind === "group" ? "group" : t.kind === "purpose" ? "purpose" : t.kind === "user" ? "username" : "value";
}

function TermRow({ index, term, onChange, onRemove, canRemove, err, options }: { index: number; term: TermForm; onChange: (t: TermForm) => void; onRemove: () => void; canRemove: boolean; err: ErrorsFor; options: BuilderOptions }) {
  const base = `who.condition.terms.${index}`;
  const valueId = `${base}.${termValueKey(term)}`;
  const keyId = `${base}.key`;
  const suggestions =
    term.kind === "group" ? "group-suggestions" : term.kind === "purpose" ? "purpose-suggestions" : term.kind === "user" ? "user-suggestions" : `attr-values-${index}`;
  const n = index + 1;
  const warning = unknownValueWarning(term, options);
  return (
    <li className="grid grid-cols-1 items-start gap-2 rounded-md bg-slate-50 p-2 sm:grid-cols-[8rem_minmax(0,1fr)_auto]" data-testid={`term-${index}`}>
      <div>
        <label htmlFor={`${base}.kind`} className="sr-only">
          Condition {n}: kind
        </label>
        <select id={`${base}.kind`} value={term.kind} onChange={(e) => onChange({ ...emptyTerm(e.target.value as TermForm["kind"]) })} className={`${inputClass} mt-0`}>
          {TERM_KINDS.map((k) => (
            <option key={k} value={k}>
              {TERM_LABEL[k]}
            </option>
          ))}
        </select>
      </div>
      <div className={term.kind === "attribute" ? "grid grid-cols-[minmax(0,1fr)_auto_minmax(0,1fr)] items-start gap-1" : ""}>
        {term.kind === "attribute" ? (
          <>
            <div>
              <label htmlFor={keyId} className="sr-only">
                Condition {n}: attribute key
              </label>
              <input
                {...fieldProps(keyId, err(keyId))}
                value={term.key}
                list="attribute-key-suggestions"
                autoComplete="off"
                placeholder="key"
                onChange={(e) => onChange({ ...term, key: e.target.value })}
                className={`${inputClass} mt-0 font-mono`}
              />
              {err(keyId) ? <p id={`${keyId}-error`} className="mt-1 text-xs text-red-700">{err(keyId)!.join(" ")}</p> : null}
            </div>
            <span className="pt-1.5 text-slate-500" aria-hidden>
              =
            </span>
          </>
        ) : null}
        <div>
          <label htmlFor={valueId} className="sr-only">
            Condition {n}: {term.kind === "attribute" ? "attribute value" : TERM_LABEL[term.kind].toLowerCase()}
          </label>
          <input
            {...fieldProps(valueId, err(valueId))}
            value={term.value}
            list={suggestions}
            autoComplete="off"
            placeholder={term.kind === "attribute" ? "value" : term.kind === "user" ? "username" : term.kind}
            onChange={(e) => onChange({ ...term, value: e.target.value })}
            className={`${inputClass} mt-0 font-mono`}
          />
          {err(valueId) ? <p id={`${valueId}-error`} className="mt-1 text-xs text-red-700">{err(valueId)!.join(" ")}</p> : null}
        </div>
        {term.kind === "attribute" ? <Datalist id={`attr-values-${index}`} values={options.attributes[term.key.trim()] ?? []} /> : null}
        {warning && !err(valueId) && !err(keyId) ? (
          <p className="col-span-full mt-1 text-xs text-amber-800" role="status" data-testid={`term-${index}-warning`}>
            {warning}
          </p>
        ) : null}
      </div>
      <Button tone="dangerGhost" size="sm" className="mt-1" onClick={onRemove} disabled={!canRemove} aria-label={`Remove condition ${n}`}>
        Remove
      </Button>
    </li>
  );
}

export function WhoFieldset({ form, set, err, options }: { form: PolicyForm; set: SetForm; err: ErrorsFor; options: BuilderOptions }) {
  const setTerm = (i: number, t: TermForm) => set({ terms: form.terms.map((x, j) => (j === i ? t : x)) });
  return (
    <fieldset className={fieldsetClass}>
      <legend className={`${legendClass} px-1`}>Who it applies to</legend>
      <div className="flex flex-wrap gap-x-6 gap-y-2">
        {WHO_TYPES.map((w) => (
          <Radio key={w} name="who.type" value={w} checked={form.whoType === w} onChange={() => set({ whoType: w })} label={WHO_LABEL[w]} />
        ))}
      </div>
      {form.whoType !== "EVERYONE" ? (
        <div className="mt-3">
          <fieldset>
            <legend className="text-sm text-slate-700">
              {form.whoType === "ONLY" ? "Users matching" : "Except users matching"}
            </legend>
            <div className="mt-1 flex gap-4">
              <Radio name="who.condition.match" value="any" checked={form.match === "any"} onChange={() => set({ match: "any" })} label="any of" />
              <Radio name="who.condition.match" value="all" checked={form.match === "all"} onChange={() => set({ match: "all" })} label="all of" />
            </div>
          </fieldset>
          <ul className="mt-2 space-y-2" aria-label="Conditions">
            {form.terms.map((t, i) => (
              <TermRow
                key={i}
                index={i}
                term={t}
                options={options}
                err={err}
                canRemove={form.terms.length > 1}
                onChange={(next) => setTerm(i, next)}
                onRemove={() => set({ terms: form.terms.filter((_, j) => j !== i) })}
              />
            ))}
          </ul>
          {err("who.condition.terms") ? <p className="mt-1 text-xs text-red-700">{err("who.condition.terms")!.join(" ")}</p> : null}
          <Button tone="ghost" size="sm" className="mt-2" onClick={() => set({ terms: [...form.terms, emptyTerm()] })}>
            + Add a condition
          </Button>
          <Datalist id="group-suggestions" values={options.groups} />
          <Datalist id="purpose-suggestions" values={options.purposes} />
          <Datalist id="user-suggestions" values={options.users.map((u) => u.username)} />
          <Datalist id="attribute-key-suggestions" values={Object.keys(options.attributes)} />
        </div>
      ) : null}
    </fieldset>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Action
// ---------------------------------------------------------------------------------------------------------

/** Columns of the chosen data source as checkboxes (LOCAL), or names typed with suggestions (GLOBAL). */
function ColumnsChooser({ id, legend, value, onChange, source, suggestions, err, hint }: { id: string; legend: string; value: string[]; onChange: (v: string[]) => void; source: BuilderDataSource | undefined; suggestions: string[]; err: ErrorsFor; hint?: string }) {
  const errors = err(id);
  if (!source) {
    return (
      <Field id={id} label={legend} hint={hint ?? "Type a column name and press Enter; columns absent from a data source are ignored there."} error={errors}>
        <TokenInput id={id} label="column" value={value} onChange={onChange} suggestions={suggestions} invalid={!!errors} describedBy={errors ? `${id}-error` : `${id}-hint`} placeholder="column name" />
      </Field>
    );
  }
  const chosen = new Set(value.map((v) => v.toLowerCase()));
  return (
    <fieldset aria-describedby={errors ? `${id}-error` : undefined}>
      <legend className="block text-sm font-medium text-slate-700">{legend}</legend>
      <div className="mt-1 grid max-h-64 grid-cols-1 gap-x-4 gap-y-1 overflow-y-auto rounded-md border border-slate-200 p-2 sm:grid-cols-2">
        {source.columns.map((c, i) => {
          const cid = `${id}.${c.name}`;
          return (
            <div key={c.name} className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                id={cid}
                checked={chosen.has(c.name.toLowerCase())}
                aria-invalid={errors && i === 0 ? true : undefined}
                onChange={(e) => onChange(e.target.checked ? [...value, c.name] : value.filter((v) => v.toLowerCase() !== c.name.toLowerCase()))}
                className="mt-0.5 accent-indigo-600"
              />
              <label htmlFor={cid} className="min-w-0">
                <span className="font-mono">{c.name}</span> <span className="font-mono text-xs text-slate-500">{c.type}</span>
                {c.tags.length ? <span className="block truncate text-xs text-indigo-700">{c.tags.join(", ")}</span> : null}
              </label>
            </div>
          );
        })}
      </div>
      {errors ? (
        <p id={`${id}-error`} className="mt-1 text-xs text-red-700">
          {errors.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}

function ColumnSelect({ id, label, value, onChange, source, suggestions, err, hint, filter }: { id: string; label: string; value: string; onChange: (v: string) => void; source: BuilderDataSource | undefined; suggestions: string[]; err: ErrorsFor; hint?: string; filter?: (type: string) => boolean }) {
  const errors = err(id);
  if (!source) {
    return (
      <Field id={id} label={label} hint={hint} error={errors}>
        <input {...fieldProps(id, errors, !!hint)} value={value} list={`${id}-list`} autoComplete="off" onChange={(e) => onChange(e.target.value)} className={`${inputClass} font-mono`} />
        <Datalist id={`${id}-list`} values={suggestions} />
      </Field>
    );
  }
  const cols = source.columns.filter((c) => !filter || filter(c.type) || c.name === value);
  return (
    <Field id={id} label={label} hint={hint} error={errors}>
      <select {...fieldProps(id, errors, !!hint)} value={value} onChange={(e) => onChange(e.target.value)} className={`${inputClass} font-mono`}>
        <option value="">Choose a column…</option>
        {cols.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name} ({c.type})
          </option>
        ))}
      </select>
    </Field>
  );
}

const isTemporal = (t: string) => /^(date|timestamp)/.test(t);

export function ActionFieldset({ form, set, err, options, source, columnSuggestions }: { form: PolicyForm; set: SetForm; err: ErrorsFor; options: BuilderOptions; source: BuilderDataSource | undefined; columnSuggestions: string[] }) {
  const method = MASK_LABEL[form.method];
  const filterInfo = FILTER_LABEL[form.filterKind];
  return (
    <fieldset className={fieldsetClass}>
      <legend className={`${legendClass} px-1`}>What it does</legend>
      <div className="grid gap-2 sm:grid-cols-2">
        <Radio name="action.type" value="MASK" checked={form.kind === "MASK"} onChange={() => set({ kind: "MASK" })} label="Mask columns" hint="Change what some columns show." />
        <Radio name="action.type" value="ROW_FILTER" checked={form.kind === "ROW_FILTER"} onChange={() => set({ kind: "ROW_FILTER" })} label="Filter rows" hint="Show only some rows; filters are ANDed." />
      </div>

      {form.kind === "MASK" ? (
        <div className="mt-4 space-y-4">
          <fieldset>
            <legend className="block text-sm font-medium text-slate-700">Target</legend>
            <div className="mt-1 flex flex-wrap gap-x-6 gap-y-1">
              <Radio name="action.target.type" value="columns" checked={form.targetType === "columns"} onChange={() => set({ targetType: "columns" })} label="Columns by name" />
              <Radio name="action.target.type" value="tag" checked={form.targetType === "tag"} onChange={() => set({ targetType: "tag", targetTag: form.targetTag || form.tag })} label="Columns carrying a tag" />
            </div>
          </fieldset>
          {form.targetType === "columns" ? (
            <ColumnsChooser id="action.target.columns" legend="Columns to mask" value={form.targetColumns} onChange={(v) => set({ targetColumns: v })} source={source} suggestions={columnSuggestions} err={err} />
          ) : (
            <Field id="action.target.tag" label="Mask columns tagged" hint="The tag or any tag below it (PII covers PII.Email)." error={err("action.target.tag")}>
              <input
                {...fieldProps("action.target.tag", err("action.target.tag"), true)}
                value={form.targetTag}
                list="tag-suggestions"
                autoComplete="off"
                placeholder="PII.Email"
                onChange={(e) => set({ targetTag: e.target.value })}
                className={`${inputClass} font-mono`}
              />
            </Field>
          )}

          <div className="grid gap-4 sm:grid-cols-2">
            <Field id="action.mask.method" label="Mask method" hint={method.hint} error={err("action.mask.method")}>
              <select {...fieldProps("action.mask.method", err("action.mask.method"), true)} value={form.method} onChange={(e) => set({ method: e.target.value as PolicyForm["method"] })} className={inputClass}>
                {MASK_METHODS.map((m) => (
                  <option key={m} value={m}>
                    {MASK_LABEL[m].label}
                  </option>
                ))}
              </select>
            </Field>
            <MaskParameters form={form} set={set} err={err} />
          </div>
          {form.method === "CUSTOM" ? (
            <Field id="action.mask.sql" label="Expression" hint="Trino SQL; {col} is the masked column, macros @username, @groups, @attribute('key'), @purposes." error={err("action.mask.sql")}>
              <textarea {...fieldProps("action.mask.sql", err("action.mask.sql"), true)} rows={3} value={form.customSql} onChange={(e) => set({ customSql: e.target.value })} className={`${inputClass} font-mono`} placeholder="concat(substr({col}, 1, 2), '…')" />
            </Field>
          ) : null}

          <div>
            <div className="flex items-center gap-2 text-sm">
              <input type="checkbox" id="onlyWhereOn" checked={form.onlyWhereOn} onChange={(e) => set({ onlyWhereOn: e.target.checked })} className="accent-indigo-600" />
              <label htmlFor="onlyWhereOn" className="text-slate-800">
                Mask only the rows where a condition holds
              </label>
            </div>
            {form.onlyWhereOn ? (
              <Field id="action.onlyWhere" label="Only where" className="mt-2" hint="A predicate; {col} and the macros work here. Rows where it is NULL stay unmasked." error={err("action.onlyWhere")}>
                <textarea {...fieldProps("action.onlyWhere", err("action.onlyWhere"), true)} rows={2} value={form.onlyWhere} onChange={(e) => set({ onlyWhere: e.target.value })} className={`${inputClass} font-mono`} placeholder="region <> 'EU'" />
              </Field>
            ) : null}
          </div>
        </div>
      ) : (
        <div className="mt-4 space-y-4">
          <Field id="action.filter.kind" label="Filter" hint={filterInfo.hint} error={err("action.filter.kind")}>
            <select {...fieldProps("action.filter.kind", err("action.filter.kind"), true)} value={form.filterKind} onChange={(e) => set({ filterKind: e.target.value as PolicyForm["filterKind"] })} className={inputClass}>
              {FILTER_KINDS.map((k) => (
                <option key={k} value={k}>
                  {FILTER_LABEL[k].label}
                </option>
              ))}
            </select>
          </Field>
          <FilterParameters form={form} set={set} err={err} options={options} source={source} columnSuggestions={columnSuggestions} />
        </div>
      )}
    </fieldset>
  );
}

function MaskParameters({ form, set, err }: { form: PolicyForm; set: SetForm; err: ErrorsFor }) {
  switch (form.method) {
    case "CONSTANT":
      return (
        <Field id="action.mask.value" label="Value" hint="Shown instead of every value." error={err("action.mask.value")}>
          <input {...fieldProps("action.mask.value", err("action.mask.value"), true)} value={form.constant} onChange={(e) => set({ constant: e.target.value })} className={`${inputClass} font-mono`} />
        </Field>
      );
    case "SHOW_FIRST":
    case "SHOW_LAST":
      return (
        <Field id="action.mask.n" label="Characters to keep (n)" error={err("action.mask.n")}>
          <input {...fieldProps("action.mask.n", err("action.mask.n"))} type="number" inputMode="numeric" step={1} value={form.n} onChange={(e) => set({ n: e.target.value })} className={inputClass} />
        </Field>
      );
    case "REGEX":
      return (
        <div className="grid grid-cols-2 gap-2">
          <Field id="action.mask.pattern" label="Pattern" error={err("action.mask.pattern")}>
            <input {...fieldProps("action.mask.pattern", err("action.mask.pattern"))} value={form.pattern} onChange={(e) => set({ pattern: e.target.value })} className={`${inputClass} font-mono`} placeholder="\d" />
          </Field>
          <Field id="action.mask.replacement" label="Replacement" error={err("action.mask.replacement")}>
            <input {...fieldProps("action.mask.replacement", err("action.mask.replacement"))} value={form.replacement} onChange={(e) => set({ replacement: e.target.value })} className={`${inputClass} font-mono`} placeholder="#" />
          </Field>
        </div>
      );
    case "ROUND":
      return (
        <div className="grid grid-cols-2 gap-2">
          <Field id="action.mask.n" label="Numbers: multiple of" error={err("action.mask.n")}>
            <input {...fieldProps("action.mask.n", err("action.mask.n"))} type="number" step="any" value={form.roundN} onChange={(e) => set({ roundN: e.target.value })} className={inputClass} placeholder="1000" />
          </Field>
          <Field id="action.mask.unit" label="Dates: down to" error={err("action.mask.unit")}>
            <select {...fieldProps("action.mask.unit", err("action.mask.unit"))} value={form.roundUnit} onChange={(e) => set({ roundUnit: e.target.value as PolicyForm["roundUnit"] })} className={inputClass}>
              <option value="">—</option>
              {ROUND_UNITS.map((u) => (
                <option key={u} value={u}>
                  {u}
                </option>
              ))}
            </select>
          </Field>
        </div>
      );
    default:
      return null;
  }
}

function FilterParameters({ form, set, err, options, source, columnSuggestions }: { form: PolicyForm; set: SetForm; err: ErrorsFor; options: BuilderOptions; source: BuilderDataSource | undefined; columnSuggestions: string[] }) {
  const column = (label: string, hint?: string, filter?: (t: string) => boolean) => (
    <ColumnSelect id="action.filter.column" label={label} hint={hint} value={form.filterColumn} onChange={(v) => set({ filterColumn: v })} source={source} suggestions={columnSuggestions} err={err} filter={filter} />
  );
  switch (form.filterKind) {
    case "MATCH_ATTRIBUTE":
      return (
        <div className="grid gap-4 sm:grid-cols-2">
          {column("Column")}
          <Field id="action.filter.key" label="User attribute" hint="Rows whose column is among the user's values of it." error={err("action.filter.key")}>
            <input {...fieldProps("action.filter.key", err("action.filter.key"), true)} value={form.attributeKey} list="filter-attribute-keys" autoComplete="off" onChange={(e) => set({ attributeKey: e.target.value })} className={`${inputClass} font-mono`} />
            <Datalist id="filter-attribute-keys" values={Object.keys(options.attributes)} />
            <KeyWarning warning={err("action.filter.key") ? null : unknownAttributeKeyWarning(form.attributeKey, options)} />
          </Field>
        </div>
      );
    case "MATCH_GROUP":
      return column("Column", "Rows whose value in this column is one of the user's group names.");
    case "WHERE":
      return (
        <Field id="action.filter.sql" label="WHERE predicate" hint="@username, @groups, @attribute('key') and @purposes become quoted literals (arrays for the multi-valued ones)." error={err("action.filter.sql")}>
          <textarea {...fieldProps("action.filter.sql", err("action.filter.sql"), true)} rows={3} value={form.whereSql} onChange={(e) => set({ whereSql: e.target.value })} className={`${inputClass} font-mono`} placeholder="contains(@attribute('region'), region)" />
        </Field>
      );
    case "TIME_WINDOW":
      return (
        <div className="grid gap-4 sm:grid-cols-3">
          {column("Date or timestamp column", undefined, isTemporal)}
          <Field id="action.filter.amount" label="Last" error={err("action.filter.amount")}>
            <input {...fieldProps("action.filter.amount", err("action.filter.amount"))} type="number" step={1} min={1} value={form.amount} onChange={(e) => set({ amount: e.target.value })} className={inputClass} />
          </Field>
          <Field id="action.filter.unit" label="Unit" error={err("action.filter.unit")}>
            <select {...fieldProps("action.filter.unit", err("action.filter.unit"))} value={form.timeUnit} onChange={(e) => set({ timeUnit: e.target.value as PolicyForm["timeUnit"] })} className={inputClass}>
              {TIME_UNITS.map((u) => (
                <option key={u} value={u}>
                  {u}s
                </option>
              ))}
            </select>
          </Field>
        </div>
      );
    case "MINIMIZE":
      return (
        <div className="space-y-4">
          <Field id="action.filter.percent" label="Percent of rows" hint="0.01 to 100; the same rows every time." error={err("action.filter.percent")}>
            <input {...fieldProps("action.filter.percent", err("action.filter.percent"), true)} type="number" step="any" min={0} max={100} value={form.percent} onChange={(e) => set({ percent: e.target.value })} className={`${inputClass} max-w-40`} />
          </Field>
          <ColumnsChooser id="action.filter.keyColumns" legend="Key columns (hashed to pick the rows)" value={form.keyColumns} onChange={(v) => set({ keyColumns: v })} source={source} suggestions={columnSuggestions} err={err} />
        </div>
      );
    case "PURPOSE_RESTRICT":
      return (
        <Field id="action.filter.purposes" label="Purposes" hint="Type a purpose and press Enter." error={err("action.filter.purposes")}>
          <TokenInput
            id="action.filter.purposes"
            label="purpose"
            value={form.purposes}
            onChange={(v) => set({ purposes: v })}
            suggestions={options.purposes}
            invalid={!!err("action.filter.purposes")}
            describedBy={err("action.filter.purposes") ? "action.filter.purposes-error" : "action.filter.purposes-hint"}
          />
        </Field>
      );
  }
}

function KeyWarning({ warning }: { warning: string | null }) {
  return warning ? <p className="mt-1 text-xs text-amber-800" role="status" data-testid="filter-key-warning">{warning}</p> : null;
}

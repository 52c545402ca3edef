"use client";

import { useState } from "react";
import { ConditionEditor, type ConditionForm } from "@/components/data-sources/condition-editor";
import { SUBSCRIPTION_TYPE_LABEL } from "@/components/data-sources/format";
import { Button, Field, fieldProps, FormMessage, inputClass } from "@/components/ui/form";
import { Modal } from "@/components/ui/modal";
import { useAction } from "@/components/ui/use-action";
import { emptyTerm, term, termForm } from "@/lib/policies/form";
import type { Condition } from "@/lib/validations/policy";
import { setSubscriptionPolicyAction } from "../actions";

type SubscriptionType = "OPEN" | "APPROVAL" | "AUTO" | "MANUAL";
const TYPES: SubscriptionType[] = ["OPEN", "APPROVAL", "AUTO", "MANUAL"];

const isBlank = (c: ConditionForm) => c.terms.every((t) => !t.value.trim() && !t.key.trim());

/** Owners and governors change who may subscribe, the AUTO condition and the expiry of grants. */
export function SubscriptionPolicyEditor({
  dataSourceId,
  version,
  view,
  type,
  condition,
  maxDays,
}: {
  dataSourceId: string;
  /** the data source's version this page shows: the server refuses the change (409) if it moved on */
  version: number;
  view: string;
  type: SubscriptionType;
  condition: Condition | null;
  maxDays: number | null;
}) {
  const initial = () => ({
    type,
    condition: condition ? { match: condition.match, terms: condition.terms.map(termForm) } : { match: "any" as const, terms: [emptyTerm()] },
    maxDays: maxDays ? String(maxDays) : "",
  });
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState(initial);
  const save = useAction(setSubscriptionPolicyAction);
  const err = (k: string) => save.fieldErrors[k];

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const days = form.maxDays.trim();
    const subscription = {
      type: form.type,
      // A condition with every row left blank is no condition: the server says AUTO needs one.
      ...(form.type === "AUTO" && !isBlank(form.condition) ? { condition: { match: form.condition.match, terms: form.condition.terms.map(term) } } : {}),
      ...(days ? { maxDays: Number(days) } : {}),
    };
    save.run({ dataSourceId, subscription, version }, () => setOpen(false));
  }

  return (
    <>
      <Button tone="secondary" size="sm" onClick={() => { setForm(initial()); save.reset(); setOpen(true); }}>
        Change access
      </Button>
      <Modal open={open} onClose={() => setOpen(false)} wide title={<>Access to <span className="font-mono">{view}</span></>} description="Existing subscriptions are kept. Automatic access follows the condition from the next query on.">
        <form noValidate onSubmit={submit} onChange={save.onFormChange} className="space-y-4">
          <fieldset aria-describedby={err("type") ? "type-error" : undefined}>
            <legend className="text-sm font-medium text-slate-700">Who may subscribe</legend>
            <div className="mt-1 space-y-1 text-sm">
              {TYPES.map((t) => (
                <label key={t} className="flex items-center gap-2">
                  <input type="radio" name="type" value={t} checked={form.type === t} onChange={() => setForm({ ...form, type: t })} className="accent-indigo-600" data-autofocus={form.type === t ? true : undefined} />
                  {SUBSCRIPTION_TYPE_LABEL[t]}
                </label>
              ))}
            </div>
            {err("type") ? <p id="type-error" className="mt-1 text-xs text-red-700">{err("type")!.join(" ")}</p> : null}
          </fieldset>
          {form.type === "AUTO" ? <ConditionEditor value={form.condition} onChange={(c) => { save.clearField("condition"); setForm({ ...form, condition: c }); }} err={err} /> : null}
          <Field id="maxDays" label="Access expires after (days)" hint="Blank: grants do not expire. Automatic matches last as long as the user matches." error={err("maxDays")}>
            <input {...fieldProps("maxDays", err("maxDays"), true)} type="number" min={1} max={3650} inputMode="numeric" value={form.maxDays} onChange={(e) => setForm({ ...form, maxDays: e.target.value })} className={`${inputClass} w-32`} />
          </Field>
          {save.message ? <FormMessage>{save.message}</FormMessage> : null}
          <div className="flex justify-end gap-2">
            <Button tone="secondary" onClick={() => setOpen(false)} disabled={save.pending}>Cancel</Button>
            <Button type="submit" disabled={save.pending}>{save.pending ? "Saving…" : "Save access"}</Button>
          </div>
        </form>
      </Modal>
    </>
  );
}

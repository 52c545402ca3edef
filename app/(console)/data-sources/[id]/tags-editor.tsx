"use client";

import { useState } from "react";
import { TokenInput } from "@/components/policies/token-input";
import { Button, Field, FormMessage } from "@/components/ui/form";
import { Modal } from "@/components/ui/modal";
import { useAction } from "@/components/ui/use-action";
import { tagName } from "@/lib/validations/data-source";
import { setTagsAction } from "../actions";

/**
 * Owners and governors re-tag a registered data source: the table's tags and each column's. Global policies on
 * the tags apply from the next query; one whose SQL does not fit this table refuses the change (the server says
 * which). `version` is the data source's version on this page: someone else's change since makes it a 409.
 */
export function TagsEditor({
  dataSourceId,
  version,
  view,
  tags,
  columns,
  knownTags,
}: {
  dataSourceId: string;
  version: number;
  view: string;
  tags: string[];
  columns: { name: string; type: string; tags: string[] }[];
  knownTags: string[];
}) {
  const initial = () => ({ tags: [...tags], columns: Object.fromEntries(columns.map((c) => [c.name, [...c.tags]])) as Record<string, string[]> });
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState(initial);
  const [bad, setBad] = useState<string | null>(null);
  const save = useAction(setTagsAction);
  const err = (k: string) => save.fieldErrors[k];

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const all = [...form.tags, ...Object.values(form.columns).flat()];
    // the server's own rule for a tag name (lib/validations/data-source.ts), checked before the round trip
    const wrong = all.filter((t) => !tagName.safeParse(t).success);
    setBad(wrong.length ? `Not a tag: ${wrong.join(", ")}. Use letters, digits, _ and -, with dots between levels.` : null);
    if (wrong.length) return;
    save.run(
      { dataSourceId, version, tags: form.tags, columns: columns.map((c) => ({ name: c.name, tags: form.columns[c.name] ?? [] })) },
      () => setOpen(false),
    );
  }

  return (
    <>
      <Button tone="secondary" size="sm" onClick={() => { setForm(initial()); setBad(null); save.reset(); setOpen(true); }}>
        Edit tags
      </Button>
      <Modal
        open={open}
        onClose={() => setOpen(false)}
        wide
        title={<>Tags of <span className="font-mono">{view}</span></>}
        description="Global policies select data sources and columns by tag: a change applies from the next query. A policy whose SQL does not fit this table refuses the change."
      >
        <form noValidate onSubmit={submit} className="space-y-4" aria-label="Edit tags">
          <Field id="table-tags" label="Table tags" error={err("tags")}>
            <TokenInput id="table-tags" label="tag" value={form.tags} suggestions={knownTags} invalid={Boolean(err("tags"))} placeholder="e.g. HR"
              onChange={(next) => { save.clearField("tags"); setForm({ ...form, tags: next }); }} />
          </Field>
          <fieldset>
            <legend className="text-sm font-medium text-slate-700">Column tags</legend>
            {err("columnTags") || err("columns") ? <p className="mt-1 text-xs text-red-700" role="alert">{[...(err("columnTags") ?? []), ...(err("columns") ?? [])].join(" ")}</p> : null}
            <div className="mt-2 max-h-80 space-y-2 overflow-y-auto pr-1">
              {columns.map((c) => (
                <div key={c.name} className="grid grid-cols-[10rem_1fr] items-start gap-3">
                  <label htmlFor={`col-tags-${c.name}`} className="pt-2 text-sm">
                    <span className="font-mono">{c.name}</span> <span className="font-mono text-xs text-slate-500">{c.type}</span>
                  </label>
                  <TokenInput id={`col-tags-${c.name}`} label={`tag of ${c.name}`} value={form.columns[c.name] ?? []} suggestions={knownTags}
                    onChange={(next) => { save.clearField("columnTags"); setForm({ ...form, columns: { ...form.columns, [c.name]: next } }); }} />
                </div>
              ))}
            </div>
          </fieldset>
          {bad ? <FormMessage>{bad}</FormMessage> : null}
          {save.error ? <FormMessage>{save.error}</FormMessage> : null}
          <div className="flex justify-end gap-2">
            <Button tone="secondary" onClick={() => setOpen(false)} disabled={save.pending}>Cancel</Button>
            <Button type="submit" disabled={save.pending}>{save.pending ? "Saving…" : "Save tags"}</Button>
          </div>
        </form>
      </Modal>
    </>
  );
}

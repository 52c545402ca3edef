"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, Field, fieldProps, FormMessage, inputClass } from "@/components/ui/form";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Modal } from "@/components/ui/modal";
import { useAction } from "@/components/ui/use-action";
import type { ResyncPreview } from "@/lib/server/data-source-resync";
import { applyResyncAction, deleteDataSourceAction, previewResyncAction, setStatusAction } from "../actions";

function Resync({ dataSourceId, view }: { dataSourceId: string; view: string }) {
  const [open, setOpen] = useState(false);
  const [preview, setPreview] = useState<ResyncPreview | null>(null);
  const [applied, setApplied] = useState<string | null>(null);
  const load = useAction(previewResyncAction);
  const apply = useAction(applyResyncAction);

  function start() {
    setPreview(null);
    setApplied(null);
    apply.reset();
    setOpen(true);
    load.run({ dataSourceId }, setPreview);
  }

  const d = preview?.diff;
  return (
    <>
      <Button tone="secondary" onClick={start}>
        Re-sync columns
      </Button>
      <Modal open={open} onClose={() => setOpen(false)} wide title={<>Re-sync <span className="font-mono">{view}</span> with Trino</>} description={preview ? <>Compared with <span className="font-mono">{preview.backing}</span> as Trino reports it now.</> : "Steward reads the backing table's columns from Trino and shows what changed before applying anything."}>
        {load.pending ? <p role="status" className="text-sm text-slate-600">Reading columns from Trino…</p> : null}
        {load.error ? <FormMessage>{load.error}</FormMessage> : null}
        {applied ? <FormMessage kind="success">{applied}</FormMessage> : null}
        {preview && d && !applied ? (
          preview.empty ? (
            <FormMessage kind="info">No changes: the registered columns match Trino.</FormMessage>
          ) : (
            <div className="space-y-3 text-sm" data-testid="resync-diff">
              {d.added.length ? (
                <div>
                  <h3 className="font-medium text-emerald-800">Added in Trino ({d.added.length})</h3>
                  <ul className="mt-1 space-y-0.5">
                    {d.added.map((c) => (
                      <li key={c.name} className="font-mono"><span aria-hidden className="text-emerald-700">+ </span>{c.name} <span className="text-slate-500">{c.type}</span></li>
                    ))}
                  </ul>
                </div>
              ) : null}
              {d.removed.length ? (
                <div>
                  <h3 className="font-medium text-red-800">Gone from Trino ({d.removed.length})</h3>
                  <ul className="mt-1 space-y-0.5">
                    {d.removed.map((c) => (
                      <li key={c.name} className="font-mono"><span aria-hidden className="text-red-700">− </span>{c.name} <span className="text-slate-500">{c.type}</span></li>
                    ))}
                  </ul>
                  <p className="mt-1 text-xs text-slate-600">Their tags go with them.</p>
                </div>
              ) : null}
              {d.changed.length ? (
                <div>
                  <h3 className="font-medium text-amber-800">Type changed ({d.changed.length})</h3>
                  <ul className="mt-1 space-y-0.5">
                    {d.changed.map((c) => (
                      <li key={c.name} className="font-mono">{c.name}: <span className="text-slate-500">{c.from}</span> → {c.to}</li>
                    ))}
                  </ul>
                </div>
              ) : null}
              {d.reordered ? <p className="text-slate-700">The column order changed; the view follows Trino's order.</p> : null}
              {preview.warnings.length ? (
                <FormMessage>
                  {preview.warnings.map((w) => `Policy “${w.name}” names ${w.columns.join(", ")}`).join("; ")}: review it after applying.
                </FormMessage>
              ) : null}
              <p className="text-xs text-slate-600">Applying changes the view for every subscriber from their next query.</p>
            </div>
          )
        ) : null}
        {apply.error ? <div className="mt-3"><FormMessage>{apply.error}</FormMessage></div> : null}
        <div className="mt-5 flex justify-end gap-2">
          <Button tone="secondary" onClick={() => setOpen(false)} disabled={apply.pending} data-autofocus>
            {applied || preview?.empty ? "Close" : "Cancel"}
          </Button>
          {preview && !preview.empty && !applied ? (
            <Button
              disabled={apply.pending}
              onClick={() =>
                apply.run({ dataSourceId, fingerprint: preview.fingerprint }, (r) =>
                  setApplied(r.changed ? `Applied: ${r.added} added, ${r.removed} removed, ${r.changedTypes} retyped.` : "Nothing to apply."),
                )
              }
            >
              {apply.pending ? "Applying…" : "Apply changes"}
            </Button>
          ) : null}
          {apply.error && /changed since/.test(apply.error) ? (
            <Button tone="secondary" onClick={start}>
              Compare again
            </Button>
          ) : null}
        </div>
      </Modal>
    </>
  );
}

function Delete({ dataSourceId, view, subscribers }: { dataSourceId: string; view: string; subscribers: number }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [confirm, setConfirm] = useState("");
  const del = useAction(deleteDataSourceAction);
  const error = del.fieldErrors.confirm;
  return (
    <>
      <Button tone="dangerGhost" onClick={() => { setConfirm(""); del.reset(); setOpen(true); }}>
        Delete
      </Button>
      <Modal open={open} onClose={() => setOpen(false)} title={<>Delete <span className="font-mono">{view}</span>?</>}>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            del.run({ dataSourceId, confirm }, () => {
              setOpen(false);
              router.push("/data-sources");
            });
          }}
        >
          <div className="space-y-2 text-sm text-slate-700">
            <p>
              The view disappears from Trino for everyone{subscribers ? ` (${subscribers} active subscriber${subscribers === 1 ? "" : "s"})` : ""}. Its subscriptions, its local policies and
              its column tags are deleted. The backing table in Trino is not touched. This cannot be undone.
            </p>
          </div>
          <Field id="confirm-delete" label={<>Type <span className="font-mono">{view}</span> to confirm</>} error={error} className="mt-4">
            <input {...fieldProps("confirm-delete", error)} data-autofocus value={confirm} onChange={(e) => setConfirm(e.target.value)} className={`${inputClass} font-mono`} autoComplete="off" />
          </Field>
          {del.error && !error ? <div className="mt-3"><FormMessage>{del.error}</FormMessage></div> : null}
          <div className="mt-5 flex justify-end gap-2">
            <Button tone="secondary" onClick={() => setOpen(false)} disabled={del.pending}>
              Cancel
            </Button>
            <Button type="submit" tone="danger" disabled={del.pending || confirm.trim() !== view}>
              {del.pending ? "Deleting…" : "Delete data source"}
            </Button>
          </div>
        </form>
      </Modal>
    </>
  );
}

/** What an owner or a governor can do to the data source itself. */
export function ManageActions({ dataSourceId, view, status, subscribers }: { dataSourceId: string; view: string; status: "ACTIVE" | "DISABLED"; subscribers: number }) {
  const toggle = useAction(setStatusAction);
  const disabling = status === "ACTIVE";
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Resync dataSourceId={dataSourceId} view={view} />
      <ConfirmButton
        tone="secondary"
        size="md"
        label={disabling ? "Disable" : "Enable"}
        title={disabling ? `Disable ${view}?` : `Enable ${view}?`}
        confirmLabel={disabling ? "Disable" : "Enable"}
        confirmTone={disabling ? "danger" : "primary"}
        onConfirm={() => toggle.runForMessage({ dataSourceId, status: disabling ? "DISABLED" : "ACTIVE" })}
      >
        {disabling
          ? `The view disappears from Trino for everyone at once${subscribers ? `, including its ${subscribers} subscriber${subscribers === 1 ? "" : "s"}` : ""}, and nobody can request access. Subscriptions and policies are kept; enable it to bring it back.`
          : "The view comes back in Trino for its active subscribers, with the policies in force."}
      </ConfirmButton>
      <Delete dataSourceId={dataSourceId} view={view} subscribers={subscribers} />
    </div>
  );
}

"use client";

import { useState } from "react";
import { requestAccessAction } from "@/app/(console)/subscriptions/actions";
import { Button, Field, fieldProps, FormMessage, inputClass } from "@/components/ui/form";
import { Modal } from "@/components/ui/modal";
import { useAction } from "@/components/ui/use-action";
import type { RequestOption } from "@/lib/data-sources/access";

/** "Subscribe" (OPEN) at once, or "Request access" (APPROVAL) with a reason; otherwise a short note why not. */
export function RequestAccess({ dataSourceId, view, option, size = "md" }: { dataSourceId: string; view: string; option: RequestOption; size?: "sm" | "md" }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const req = useAction(requestAccessAction);
  const id = `reason-${dataSourceId}`;

  if (option.kind === "none") return <span className="text-xs text-slate-500">{option.note}</span>;

  if (option.kind === "subscribe") {
    return (
      <span className="inline-flex flex-col items-start gap-1">
        <Button
          size={size}
          disabled={req.pending}
          aria-label={`${option.label} to ${view}`}
          onClick={() => req.run({ dataSourceId }, () => setDone("Subscribed."))}
        >
          {req.pending ? "Subscribing…" : option.label}
        </Button>
        {req.error ? <span role="alert" className="text-xs text-red-700">{req.error}</span> : null}
        {done ? <span role="status" className="text-xs text-emerald-700">{done}</span> : null}
      </span>
    );
  }

  const error = req.fieldErrors.reason;
  return (
    <>
      <Button size={size} aria-label={`${option.label} to ${view}`} onClick={() => { req.reset(); setOpen(true); }}>
        {option.label}
      </Button>
      <Modal
        open={open}
        onClose={() => setOpen(false)}
        title={<>Request access to <span className="font-mono">{view}</span></>}
        description="An owner of this data source or a governor decides. You see its rows in Trino once approved."
      >
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            req.run({ dataSourceId, reason }, () => setOpen(false));
          }}
        >
          <Field id={id} label="Why do you need access?" hint="Say what you will use it for; the approver reads this." error={error}>
            <textarea
              {...fieldProps(id, error, true)}
              data-autofocus
              rows={4}
              required
              maxLength={2000}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              className={inputClass}
            />
          </Field>
          {req.error && !error ? <div className="mt-3"><FormMessage>{req.error}</FormMessage></div> : null}
          <div className="mt-5 flex justify-end gap-2">
            <Button tone="secondary" onClick={() => setOpen(false)} disabled={req.pending}>
              Cancel
            </Button>
            <Button type="submit" disabled={req.pending}>
              {req.pending ? "Sending…" : "Send request"}
            </Button>
          </div>
        </form>
      </Modal>
    </>
  );
}

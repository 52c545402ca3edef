"use client";

import { useState } from "react";
import { approveSubscriptionAction, denySubscriptionAction, revokeSubscriptionAction } from "@/app/(console)/subscriptions/actions";
import { Button, Field, fieldProps, FormMessage, inputClass, type ButtonTone } from "@/components/ui/form";
import { Modal } from "@/components/ui/modal";
import { useAction } from "@/components/ui/use-action";

type Kind = "approve" | "deny" | "revoke" | "withdraw";

const ACTIONS = { approve: approveSubscriptionAction, deny: denySubscriptionAction, revoke: revokeSubscriptionAction, withdraw: revokeSubscriptionAction };

const TEXT: Record<Kind, { label: string; title: string; confirm: string; tone: ButtonTone; reasonLabel: string; required: boolean }> = {
  approve: { label: "Approve", title: "Approve", confirm: "Approve", tone: "primary", reasonLabel: "Note for the requester (optional)", required: false },
  deny: { label: "Deny", title: "Deny", confirm: "Deny", tone: "danger", reasonLabel: "Why not?", required: true },
  revoke: { label: "Revoke", title: "Revoke", confirm: "Revoke access", tone: "danger", reasonLabel: "Reason (optional)", required: false },
  withdraw: { label: "Withdraw", title: "Withdraw", confirm: "Withdraw", tone: "danger", reasonLabel: "Reason (optional)", required: false },
};

/**
 * One decision on a subscription, behind a dialog that asks for the reason (required to deny) and says what
 * happens. The server decides whether this user may take it.
 */
export function DecisionButton({ kind, subscriptionId, username, view, own = false }: { kind: Kind; subscriptionId: string; username: string; view: string; own?: boolean }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const act = useAction(ACTIONS[kind]);
  const t = TEXT[kind];
  const id = `${kind}-reason-${subscriptionId}`;
  const error = act.fieldErrors.reason;
  const what =
    kind === "approve"
      ? `${username} sees ${view} in Trino from their next query, with the masks and filters in force.`
      : kind === "deny"
        ? `${username} gets no access; they see your reason and may ask again.`
        : kind === "withdraw"
          ? `Your pending request for ${view} is withdrawn.`
          : own
            ? `You lose access to ${view} at once; your next query fails as if the table did not exist.`
            : `${username} loses access to ${view} at once; their next query fails as if the table did not exist.`;
  const subject = kind === "withdraw" || own ? "your access" : `${username}'s ${kind === "revoke" ? "access" : "request"}`;
  return (
    <>
      <Button
        tone={kind === "approve" ? "primary" : kind === "deny" ? "secondary" : "dangerGhost"}
        size="sm"
        aria-label={`${t.label} ${subject} to ${view}`}
        onClick={() => {
          act.reset();
          setReason("");
          setOpen(true);
        }}
      >
        {t.label}
      </Button>
      <Modal open={open} onClose={() => setOpen(false)} title={<>{t.title} {subject} — <span className="font-mono">{view}</span></>} description={what}>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            act.run({ subscriptionId, reason }, () => setOpen(false));
          }}
        >
          <Field id={id} label={t.reasonLabel} error={error}>
            <textarea
              {...fieldProps(id, error)}
              data-autofocus
              rows={3}
              maxLength={2000}
              required={t.required}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              className={inputClass}
            />
          </Field>
          {act.error && !error ? <div className="mt-3"><FormMessage>{act.error}</FormMessage></div> : null}
          <div className="mt-5 flex justify-end gap-2">
            <Button tone="secondary" onClick={() => setOpen(false)} disabled={act.pending}>
              Cancel
            </Button>
            <Button type="submit" tone={t.tone} disabled={act.pending}>
              {act.pending ? "Working…" : t.confirm}
            </Button>
          </div>
        </form>
      </Modal>
    </>
  );
}

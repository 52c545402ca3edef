"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Button, Field, FormMessage, fieldProps, inputClass } from "@/components/ui/form";
import { useAction } from "@/components/ui/use-action";
import { createWebhookAction, deleteWebhookAction, setWebhookEnabledAction } from "./actions";

export function NewWebhookForm() {
  const router = useRouter();
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState("*");
  const [secret, setSecret] = useState("");
  const [done, setDone] = useState(false);
  const { run, pending, error, fieldErrors, onFormChange } = useAction(createWebhookAction);
  const eventErrors = Object.entries(fieldErrors).filter(([k]) => k.startsWith("events")).flatMap(([, v]) => v);
  return (
    <form
      noValidate
      aria-label="New webhook"
      onChange={onFormChange}
      className="grid gap-3 md:grid-cols-[1fr_14rem_14rem_auto]"
      onSubmit={(e) => {
        e.preventDefault();
        setDone(false);
        const list = events.split(/[\s,]+/).filter(Boolean);
        run({ url, events: list, secret }, () => {
          setUrl("");
          setSecret("");
          setDone(true);
          router.refresh();
        });
      }}
    >
      <Field id="webhook-url" label="URL" hint="Receives a JSON POST per event." error={fieldErrors.url}>
        <input {...fieldProps("webhook-url", fieldErrors.url, true, "url")} className={`${inputClass} font-mono`} value={url} placeholder="https://hooks.example.com/steward" onChange={(e) => setUrl(e.target.value)} />
      </Field>
      <Field id="webhook-events" label="Events" hint="* for all, user.*, or apikey.revoke; comma-separated." error={eventErrors.length ? eventErrors : undefined}>
        <input {...fieldProps("webhook-events", eventErrors.length ? eventErrors : undefined, true, "events")} className={`${inputClass} font-mono`} value={events} onChange={(e) => setEvents(e.target.value)} />
      </Field>
      <Field id="webhook-secret" label="Secret" hint="Signs each body (HMAC-SHA256). Optional." error={fieldErrors.secret}>
        <input {...fieldProps("webhook-secret", fieldErrors.secret, true, "secret")} type="password" autoComplete="off" className={inputClass} value={secret} onChange={(e) => setSecret(e.target.value)} />
      </Field>
      <Button type="submit" className="self-start md:mt-6" disabled={pending}>{pending ? "Adding…" : "Add webhook"}</Button>
      <div className="md:col-span-4 empty:hidden">
        {error && !Object.keys(fieldErrors).length ? <FormMessage>{error}</FormMessage> : null}
        {done ? <FormMessage kind="success">Webhook added.</FormMessage> : null}
      </div>
    </form>
  );
}

export function WebhookControls({ id, url, enabled }: { id: string; url: string; enabled: boolean }) {
  const router = useRouter();
  const toggle = useAction(setWebhookEnabledAction);
  const remove = useAction(deleteWebhookAction);
  return (
    <div className="flex items-center justify-end gap-1">
      <Button tone="ghost" size="sm" disabled={toggle.pending} aria-label={`${enabled ? "Disable" : "Enable"} the webhook ${url}`} onClick={() => toggle.run({ id, enabled: !enabled }, () => router.refresh())}>
        {enabled ? "Disable" : "Enable"}
      </Button>
      <ConfirmButton label="Delete" ariaLabel={`Delete the webhook ${url}`} title="Delete this webhook?" confirmLabel="Delete webhook" onConfirm={() => remove.runForMessage({ id }, () => router.refresh())}>
        <span className="break-all font-mono">{url}</span> receives no more events.
      </ConfirmButton>
      {toggle.error ? <span role="alert" className="text-xs text-red-700">{toggle.error}</span> : null}
    </div>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Button, Field, FormMessage, fieldProps, inputClass } from "@/components/ui/form";
import { useAction } from "@/components/ui/use-action";
import { setPasswordAction, updateUserAction } from "../../actions";

export function PasswordForm({ id, username }: { id: string; username: string }) {
  const [password, setPassword] = useState("");
  const [done, setDone] = useState(false);
  const { run, pending, error, fieldErrors } = useAction(setPasswordAction);
  return (
    <form
      noValidate
      aria-label="Set password"
      className="flex flex-wrap items-start gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        setDone(false);
        run({ id, password }, () => {
          setPassword("");
          setDone(true);
        });
      }}
    >
      <Field id="new-password" label={`New password for ${username}`} error={fieldErrors.password} className="w-72">
        <input {...fieldProps("new-password", fieldErrors.password)} type="password" autoComplete="new-password" className={inputClass} value={password} onChange={(e) => setPassword(e.target.value)} />
      </Field>
      <Button type="submit" tone="secondary" className="mt-6" disabled={pending}>
        {pending ? "Setting…" : "Set password"}
      </Button>
      <div className="basis-full">
        {error && !fieldErrors.password ? <FormMessage>{error}</FormMessage> : null}
        {done ? <FormMessage kind="success">Password set.</FormMessage> : null}
      </div>
    </form>
  );
}

export function DisableUser({ id, username, disabled, isSelf }: { id: string; username: string; disabled: boolean; isSelf: boolean }) {
  const router = useRouter();
  const { runForMessage } = useAction(updateUserAction);
  if (isSelf) return <p className="text-sm text-slate-500">You cannot disable your own account.</p>;
  return disabled ? (
    <ConfirmButton label="Enable user" tone="secondary" size="md" title={`Enable ${username}?`} confirmLabel="Enable" onConfirm={() => runForMessage({ id, disabled: false }, () => router.refresh())}>
      {username} can sign in again, and Trino serves them their views again.
    </ConfirmButton>
  ) : (
    <ConfirmButton label="Disable user" tone="danger" size="md" title={`Disable ${username}?`} confirmLabel="Disable" onConfirm={() => runForMessage({ id, disabled: true }, () => router.refresh())}>
      {username} can no longer sign in, and Trino serves them nothing in the governed catalog from their next query. Their
      groups, attributes and subscriptions are kept.
    </ConfirmButton>
  );
}

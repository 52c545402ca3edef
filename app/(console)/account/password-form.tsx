"use client";

import { useState } from "react";
import { Button, Field, FormMessage, fieldProps, inputClass } from "@/components/ui/form";
import { useAction } from "@/components/ui/use-action";
import { changeOwnPasswordAction } from "./actions";

export function ChangePasswordForm() {
  const [currentPassword, setCurrent] = useState("");
  const [newPassword, setNew] = useState("");
  const [confirm, setConfirm] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const { run, pending, error, fieldErrors } = useAction(changeOwnPasswordAction);
  return (
    <form
      noValidate
      aria-label="Change your password"
      className="max-w-md space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        setMismatch(newPassword !== confirm);
        if (newPassword !== confirm) return;
        // Every session of this account ends, this one too: sign in again with the new password.
        run({ currentPassword, newPassword }, () => window.location.assign("/login?changed=1"));
      }}
    >
      <Field id="current-password" label="Current password" error={fieldErrors.currentPassword}>
        <input {...fieldProps("current-password", fieldErrors.currentPassword)} type="password" autoComplete="current-password" className={inputClass} value={currentPassword} onChange={(e) => setCurrent(e.target.value)} />
      </Field>
      <Field id="new-password" label="New password" error={fieldErrors.newPassword}>
        <input {...fieldProps("new-password", fieldErrors.newPassword)} type="password" autoComplete="new-password" className={inputClass} value={newPassword} onChange={(e) => setNew(e.target.value)} />
      </Field>
      <Field id="confirm-password" label="New password again" error={mismatch ? ["The two new passwords differ."] : undefined}>
        <input {...fieldProps("confirm-password", mismatch ? ["x"] : undefined)} type="password" autoComplete="new-password" className={inputClass} value={confirm} onChange={(e) => setConfirm(e.target.value)} />
      </Field>
      <Button type="submit" disabled={pending}>
        {pending ? "Changing…" : "Change password"}
      </Button>
      {error && !fieldErrors.currentPassword && !fieldErrors.newPassword ? <FormMessage>{error}</FormMessage> : null}
    </form>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Button, Field, FormMessage, fieldProps, inputClass } from "@/components/ui/form";
import { useAction } from "@/components/ui/use-action";
import { createGroupAction, deleteGroupAction, removeGroupMemberAction } from "./actions";

export function NewGroupForm() {
  const router = useRouter();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const { run, pending, error, fieldErrors, onFormChange } = useAction(createGroupAction);
  return (
    <form
      noValidate
      aria-label="New group"
      onChange={onFormChange}
      className="flex flex-wrap items-start gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        run({ name, description }, () => {
          setName("");
          setDescription("");
          router.refresh();
        });
      }}
    >
      <Field id="group-name" label="Group name" error={fieldErrors.name} className="w-56">
        <input {...fieldProps("group-name", fieldErrors.name, false, "name")} className={inputClass} value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field id="group-description" label="Description" hint="Optional." error={fieldErrors.description} className="min-w-64 flex-1">
        <input {...fieldProps("group-description", fieldErrors.description, true, "description")} className={inputClass} value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <Button type="submit" className="mt-6" disabled={pending}>
        {pending ? "Creating…" : "Create group"}
      </Button>
      {error && !fieldErrors.name ? <div className="basis-full"><FormMessage>{error}</FormMessage></div> : null}
    </form>
  );
}

export function RemoveMember({ groupId, group, username }: { groupId: string; group: string; username: string }) {
  const router = useRouter();
  const { runForMessage } = useAction(removeGroupMemberAction);
  return (
    <ConfirmButton label="Remove" ariaLabel={`Remove ${username} from ${group}`} title={`Remove ${username} from ${group}?`} confirmLabel="Remove" onConfirm={() => runForMessage({ groupId, username }, () => router.refresh())}>
      Policies that match the group {group} stop applying to {username} from their next Trino query.
    </ConfirmButton>
  );
}

export function DeleteGroup({ id, name, members }: { id: string; name: string; members: number }) {
  const router = useRouter();
  const { runForMessage } = useAction(deleteGroupAction);
  return (
    <ConfirmButton label="Delete group" tone="danger" size="md" title={`Delete the group ${name}?`} confirmLabel="Delete group" onConfirm={() => runForMessage({ id }, () => router.push("/people"))}>
      {members ? `Its ${members} member${members > 1 ? "s" : ""} leave the group. ` : ""}Policies that name {name} keep naming it but match nobody until a group of that name exists again.
    </ConfirmButton>
  );
}

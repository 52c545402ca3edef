"use client";

import { useRouter } from "next/navigation";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { useAction } from "@/components/ui/use-action";
import type { ActionResult } from "@/lib/server/handlers";

/** Delete one policy from the list, behind a confirmation. */
export function DeletePolicyButton({ id, name, remove }: { id: string; name: string; remove: (input: { id: string }) => Promise<ActionResult<{ id: string }>> }) {
  const router = useRouter();
  const del = useAction(remove);
  return (
    <ConfirmButton
      label="Delete"
      ariaLabel={`Delete policy ${name}`}
      title="Delete this policy?"
      confirmLabel="Delete policy"
      onConfirm={() => del.runForMessage({ id }, () => router.refresh())}
    >
      “{name}” stops applying at the next query of every user it covers. The audit log keeps a record.
    </ConfirmButton>
  );
}

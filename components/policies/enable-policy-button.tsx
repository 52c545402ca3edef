"use client";

import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/form";
import { useAction } from "@/components/ui/use-action";
import type { ActionResult } from "@/lib/server/handlers";

/** Disable or re-enable one policy from the list; the change reaches Trino at the next query. */
export function EnablePolicyButton({
  id,
  name,
  enabled,
  version,
  toggle,
}: {
  id: string;
  name: string;
  enabled: boolean;
  /** the version this list shows: a policy changed since is not toggled (409, the message says so) */
  version: number;
  toggle: (input: { id: string; enabled: boolean; version: number }) => Promise<ActionResult<{ id: string }>>;
}) {
  const router = useRouter();
  const { run, pending, error } = useAction(toggle);
  const label = enabled ? "Disable" : "Enable";
  return (
    <>
      <Button tone="ghost" size="sm" disabled={pending} aria-label={`${label} policy ${name}`} onClick={() => run({ id, enabled: !enabled, version }, () => router.refresh())}>
        {label}
      </Button>
      {error ? <span role="alert" className="text-xs text-red-700">{error}</span> : null}
    </>
  );
}

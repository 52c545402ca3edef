"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, Field, FormMessage, inputClass } from "@/components/ui/form";
import { useAction } from "@/components/ui/use-action";
import { acknowledgePurposeAction, switchProjectAction } from "./actions";

/** Switch the current project: only projects the user is a member of are offered (and the server checks). */
export function ProjectSwitcher({ current, options }: { current: string | null; options: { id: string; name: string }[] }) {
  const router = useRouter();
  const [value, setValue] = useState(current ?? "");
  const { run, pending, error } = useAction(switchProjectAction);
  return (
    <form
      aria-label="Switch current project"
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        run({ projectId: value || null }, () => router.refresh());
      }}
    >
      <Field id="current-project" label="Current project" className="w-72">
        <select id="current-project" className={inputClass} value={value} onChange={(e) => setValue(e.target.value)}>
          <option value="">No current project</option>
          {options.map((o) => (
            <option key={o.id} value={o.id}>{o.name}</option>
          ))}
        </select>
      </Field>
      <Button type="submit" disabled={pending || value === (current ?? "")}>
        {pending ? "Switching…" : "Switch"}
      </Button>
      {error ? <div className="basis-full"><FormMessage>{error}</FormMessage></div> : null}
    </form>
  );
}

export function AcknowledgeButton({ purposeId, purpose }: { purposeId: string; purpose: string }) {
  const router = useRouter();
  const { run, pending, error } = useAction(acknowledgePurposeAction);
  return (
    <div>
      <Button size="sm" aria-label={`Acknowledge the purpose ${purpose}`} disabled={pending} onClick={() => run({ purposeId }, () => router.refresh())}>
        {pending ? "Acknowledging…" : "I acknowledge this statement"}
      </Button>
      {error ? <p role="alert" className="mt-1 text-xs text-red-700">{error}</p> : null}
    </div>
  );
}

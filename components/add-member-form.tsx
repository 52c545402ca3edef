"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, Field, FormMessage, inputClass } from "@/components/ui/form";
import { useAction } from "@/components/ui/use-action";
import type { ActionResult } from "@/lib/server/handlers";

/** Picks one of the users who are not members yet and adds them with `add({ username })`. */
export function AddMemberForm({ candidates, add }: { candidates: string[]; add: (input: { username: string }) => Promise<ActionResult<unknown>> }) {
  const router = useRouter();
  const [username, setUsername] = useState("");
  const { run, pending, error } = useAction(add);
  if (candidates.length === 0) return <p className="text-sm text-slate-500">Every user is already a member.</p>;
  return (
    <form
      aria-label="Add member"
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        if (username) run({ username }, () => { setUsername(""); router.refresh(); });
      }}
    >
      <Field id="member" label="Add a member" className="w-64">
        <select id="member" className={inputClass} value={username} onChange={(e) => setUsername(e.target.value)}>
          <option value="">Choose a user…</option>
          {candidates.map((u) => <option key={u} value={u}>{u}</option>)}
        </select>
      </Field>
      <Button type="submit" disabled={pending || !username}>{pending ? "Adding…" : "Add"}</Button>
      {error ? <div className="basis-full"><FormMessage>{error}</FormMessage></div> : null}
    </form>
  );
}

"use client";

import { useState } from "react";
import { Button, Field, fieldProps, FormMessage, inputClass } from "@/components/ui/form";
import { Modal } from "@/components/ui/modal";
import { useAction } from "@/components/ui/use-action";
import { addSubscriberAction } from "../actions";

/** Owners add a user directly (the only way in for MANUAL data sources). */
export function AddSubscriber({ dataSourceId }: { dataSourceId: string }) {
  const [open, setOpen] = useState(false);
  const [username, setUsername] = useState("");
  const add = useAction(addSubscriberAction);
  const error = add.fieldErrors.username;
  return (
    <>
      <Button tone="secondary" size="sm" onClick={() => { setUsername(""); add.reset(); setOpen(true); }}>
        Add subscriber
      </Button>
      <Modal open={open} onClose={() => setOpen(false)} title="Add a subscriber" description="They get access at once, with the masks and filters in force; an expiry applies if the data source sets one.">
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            add.run({ dataSourceId, username }, () => setOpen(false));
          }}
        >
          <Field id="add-subscriber-username" label="User name" error={error}>
            <input {...fieldProps("add-subscriber-username", error)} data-autofocus value={username} onChange={(e) => setUsername(e.target.value)} className={`${inputClass} font-mono`} autoComplete="off" />
          </Field>
          {add.error && !error ? <div className="mt-3"><FormMessage>{add.error}</FormMessage></div> : null}
          <div className="mt-5 flex justify-end gap-2">
            <Button tone="secondary" onClick={() => setOpen(false)} disabled={add.pending}>Cancel</Button>
            <Button type="submit" disabled={add.pending}>{add.pending ? "Adding…" : "Add"}</Button>
          </div>
        </form>
      </Modal>
    </>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Button, Field, FormMessage, fieldProps, inputClass } from "@/components/ui/form";
import { useAction } from "@/components/ui/use-action";
import { createApiKeyAction, revokeApiKeyAction } from "./actions";

export function ApiKeyCreator() {
  const router = useRouter();
  const [name, setName] = useState("trino");
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const { run, pending, error, fieldErrors } = useAction(createApiKeyAction);
  return (
    <div className="mb-4">
      <form
        noValidate
        aria-label="New API key"
        className="flex flex-wrap items-start gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          setCreated(null);
          run({ name }, (k) => {
            setCreated({ name: k.name, key: k.key });
            router.refresh();
          });
        }}
      >
        <Field id="key-name" label="New key name" error={fieldErrors.name} className="w-64">
          <input {...fieldProps("key-name", fieldErrors.name)} className={inputClass} value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Button type="submit" className="mt-6" disabled={pending}>{pending ? "Creating…" : "Create API key"}</Button>
      </form>
      {error && !fieldErrors.name ? <div className="mt-2"><FormMessage>{error}</FormMessage></div> : null}
      {created ? (
        <div className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm" role="status">
          <p className="font-medium text-amber-900">Copy the key &quot;{created.name}&quot; now: it is shown only once.</p>
          <code data-testid="new-api-key" className="mt-2 block select-all break-all rounded bg-white px-2 py-1 font-mono">{created.key}</code>
        </div>
      ) : null}
    </div>
  );
}

export function RevokeApiKey({ id, name, prefix }: { id: string; name: string; prefix: string }) {
  const router = useRouter();
  const { runForMessage } = useAction(revokeApiKeyAction);
  return (
    <ConfirmButton label="Revoke" ariaLabel={`Revoke the key ${name}`} title={`Revoke the key ${name} (${prefix}…)?`} confirmLabel="Revoke key" onConfirm={() => runForMessage({ id }, () => router.refresh())}>
      Every Trino catalog configured with this key fails closed at its next query: users get an error, never the backing data. This cannot be undone; create a new key and reconfigure the catalog to restore it.
    </ConfirmButton>
  );
}

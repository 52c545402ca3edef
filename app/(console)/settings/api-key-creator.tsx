"use client";

import { useState, useTransition } from "react";
import { createApiKeyAction } from "./actions";

export function ApiKeyCreator() {
  const [name, setName] = useState("trino");
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <div className="mb-4 rounded-lg border border-slate-200 bg-white p-4">
      <form
        className="flex items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          start(async () => {
            const res = await createApiKeyAction({ name });
            if (res.ok) {
              setCreated(res.data.key);
              setError(null);
            } else setError(res.error);
          });
        }}
      >
        <label className="block text-sm">
          <span className="font-medium text-slate-700">New key name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} className="mt-1 block rounded-md border border-slate-300 px-3 py-1.5" />
        </label>
        <button disabled={pending} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60">
          Create API key
        </button>
      </form>
      {error ? <p role="alert" className="mt-2 text-sm text-red-700">{error}</p> : null}
      {created ? (
        <p className="mt-3 text-sm">
          Copy it now, it is shown only once: <code data-testid="new-api-key" className="rounded bg-slate-100 px-2 py-1 font-mono">{created}</code>
        </p>
      ) : null}
    </div>
  );
}

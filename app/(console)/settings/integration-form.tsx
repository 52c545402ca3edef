"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, Field, FormMessage, fieldProps, inputClass } from "@/components/ui/form";
import { useAction } from "@/components/ui/use-action";
import type { IntegrationSettings } from "@/lib/server/integration";
import { testConnectionAction, updateIntegrationAction } from "./actions";

const FIELDS: { key: keyof IntegrationSettings; label: string; hint: string }[] = [
  { key: "trinoUrl", label: "Trino URL", hint: "Where the console reaches Trino's coordinator over HTTPS, e.g. https://trino:8443." },
  { key: "serviceUser", label: "Service user", hint: "Owns the governed views; the only user that reads the backing catalogs." },
  { key: "governedCatalog", label: "Governed catalog name", hint: "The catalog users query, e.g. governed." },
  { key: "consoleUrl", label: "Console URL for the connector", hint: "How Trino's connector reaches this console." },
];

export function IntegrationForm({ initial }: { initial: IntegrationSettings }) {
  const router = useRouter();
  const [values, setValues] = useState(initial);
  const [saved, setSaved] = useState(false);
  const save = useAction(updateIntegrationAction);
  const test = useAction(testConnectionAction);
  const [tested, setTested] = useState<Awaited<ReturnType<typeof testConnectionAction>> | null>(null);
  const fieldErrors = { ...test.fieldErrors, ...save.fieldErrors };
  const dirty = FIELDS.some((f) => values[f.key] !== initial[f.key]);

  return (
    <form
      noValidate
      aria-label="Trino integration"
      onChange={(e) => {
        save.onFormChange(e);
        test.onFormChange(e);
      }}
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        save.run(values, (v) => {
          setValues(v);
          setSaved(true);
          router.refresh();
        });
      }}
    >
      <div className="grid gap-4 md:grid-cols-2">
        {FIELDS.map((f) => (
          <Field key={f.key} id={f.key} label={f.label} hint={f.hint} error={fieldErrors[f.key]}>
            <input
              {...fieldProps(f.key, fieldErrors[f.key], true)}
              className={`${inputClass} font-mono`}
              value={values[f.key]}
              spellCheck={false}
              onChange={(e) => {
                setSaved(false);
                setValues({ ...values, [f.key]: e.target.value });
              }}
            />
          </Field>
        ))}
      </div>
      <div className="mt-4 flex flex-wrap items-center gap-2">
        <Button type="submit" disabled={save.pending}>{save.pending ? "Saving…" : "Save settings"}</Button>
        <Button
          tone="secondary"
          disabled={test.pending}
          onClick={() => {
            setTested(null);
            test.run(values, (r) => setTested({ ok: true, data: r }));
          }}
        >
          {test.pending ? "Testing…" : "Test connection"}
        </Button>
        {dirty && !save.pending ? <span className="text-xs text-amber-700">Unsaved changes: Test connection uses the values above.</span> : null}
      </div>
      <div className="mt-3 space-y-2" aria-live="polite">
        {save.error ? <FormMessage>{save.error}</FormMessage> : null}
        {saved ? <FormMessage kind="success">Settings saved.</FormMessage> : null}
        {test.error && !Object.keys(test.fieldErrors).length ? <FormMessage>{test.error}</FormMessage> : null}
        {tested?.ok ? (
          tested.data.ok ? (
            <>
              <FormMessage kind="success">
                <span data-testid="connection-result">
                  Connected to Trino {tested.data.version} as {tested.data.user}: SELECT 1 worked.{" "}
                  {tested.data.governedCatalogExists ? `The catalog ${values.governedCatalog} exists.` : `There is no catalog ${values.governedCatalog} yet: create it below.`}
                </span>
              </FormMessage>
              {tested.data.authenticates ? (
                <FormMessage kind="success">
                  <span data-testid="connection-auth">Trino authenticates: {tested.data.user} cannot be claimed without its password.</span>
                </FormMessage>
              ) : (
                <FormMessage>
                  <span data-testid="connection-auth">
                    Trino does not authenticate users: anyone can claim {tested.data.user} and read every backing table, so Steward
                    enforces nothing. Enable password (or other) authentication on Trino over HTTPS.
                  </span>
                </FormMessage>
              )}
            </>
          ) : (
            <FormMessage>
              <span data-testid="connection-result">Connection failed: {tested.data.error}</span>
            </FormMessage>
          )
        ) : null}
      </div>
    </form>
  );
}

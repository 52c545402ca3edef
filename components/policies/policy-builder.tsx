"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState, useTransition } from "react";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Button, buttonClass, Field, fieldProps, FormMessage, inputClass } from "@/components/ui/form";
import { errorsByField, fieldLabel, formToPolicy, validatePolicyForm, type FieldErrors, type PolicyForm } from "@/lib/policies/form";
import type { ActionResult } from "@/lib/server/handlers";
import type { BuilderOptions } from "@/lib/server/policy-options";
import { CompiledPanel, type CompileFn } from "./compiled-panel";
import { ActionFieldset, ScopeFieldset, WhoFieldset } from "./policy-fields";

type SaveFn = (input: { id?: string; version?: number; policy: unknown }) => Promise<ActionResult<{ id: string; version: number }>>;
type DeleteFn = (input: { id: string }) => Promise<ActionResult<{ id: string }>>;

const UNREACHABLE = "The server could not be reached. Try again.";

/**
 * Create or edit one data policy. The form is checked with the server's own schema before anything is sent
 * (errors at their fields, focus on the first), the server's 422 lands on the same fields, and the compiled
 * SQL beside it follows every change.
 */
export function PolicyBuilder({
  options,
  initial,
  policyId,
  version: openedVersion,
  readOnly = false,
  saved = false,
  save,
  remove,
  compile,
}: {
  options: BuilderOptions;
  initial: PolicyForm;
  policyId?: string;
  /** editing: the version of the policy the form was opened on; the server refuses (409) if it moved on */
  version?: number;
  readOnly?: boolean;
  saved?: boolean;
  save: SaveFn;
  remove?: DeleteFn;
  /** absent: no compiled-SQL panel (a reader who may not preview users' views) */
  compile?: CompileFn;
}) {
  const router = useRouter();
  const [form, setForm] = useState<PolicyForm>(initial);
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ kind: "error" | "success"; text: string } | null>(null);
  const [savedBanner, setSavedBanner] = useState(saved);
  const [focusTick, setFocusTick] = useState(0);
  const [pending, start] = useTransition();
  const formRef = useRef<HTMLFormElement>(null);
  // advances with each of our own saves; someone else's save makes ours a 409 ("reload to see their change")
  const [version, setVersion] = useState(openedVersion);
  const [stale, setStale] = useState(false);

  const validation = useMemo(() => validatePolicyForm(form), [form]);
  const clientErrors = submitted && !validation.ok ? errorsByField(validation.errors) : {};
  const shownServer = errorsByField(serverErrors);
  const err = (key: string) => {
    const list = [...(clientErrors[key] ?? []), ...(shownServer[key] ?? [])];
    return list.length ? [...new Set(list)] : undefined;
  };

  // The live SQL needs a policy that validates; a missing name alone should not hide it.
  const draft = useMemo(() => {
    const v = validatePolicyForm(form.name.trim() ? form : { ...form, name: "This policy" });
    if (v.ok) return { policy: v.policy };
    const first = Object.entries(errorsByField(v.errors))[0];
    return { problem: first ? `To see the SQL, complete the form: ${fieldLabel(first[0])} — ${first[1][0]}` : "To see the SQL, complete the form." };
  }, [form]);

  useEffect(() => {
    if (!focusTick) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusTick]);

  const set = (patch: Partial<PolicyForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    if (Object.keys(serverErrors).length) setServerErrors({});
    if (message?.kind === "success") setMessage(null);
    setSavedBanner(false);
  };

  const source = form.scope === "LOCAL" ? options.dataSources.find((d) => d.id === form.dataSourceId) : undefined;
  const columnSuggestions = useMemo(() => [...new Set(options.dataSources.flatMap((d) => d.columns.map((c) => c.name)))].sort(), [options.dataSources]);

  function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    if (readOnly) return;
    setSubmitted(true);
    setMessage(null);
    if (!validation.ok) {
      const n = Object.keys(validation.errors).length;
      setMessage({ kind: "error", text: `Fix the ${n === 1 ? "highlighted field" : `${n} highlighted fields`} first; nothing was saved.` });
      setFocusTick((t) => t + 1);
      return;
    }
    start(async () => {
      let r: ActionResult<{ id: string; version: number }>;
      try {
        r = await save({ ...(policyId ? { id: policyId, version } : {}), policy: formToPolicy(form) });
      } catch {
        r = { ok: false, status: 0, error: UNREACHABLE };
      }
      // a 409 with field errors is about a field (a taken name), not about someone else's save
      setStale(!r.ok && r.status === 409 && !r.fieldErrors);
      if (r.ok) {
        setServerErrors({});
        setVersion(r.data.version);
        if (policyId) {
          setMessage({ kind: "success", text: "Saved. The change applies to the very next query." });
          router.refresh();
        } else {
          router.push(`/policies/${r.data.id}?saved=1`);
        }
      } else {
        setServerErrors(r.fieldErrors ?? {});
        setMessage({ kind: "error", text: r.error });
        setFocusTick((t) => t + 1);
      }
    });
  }

  return (
    <>
    {savedBanner ? (
      <div className="mb-4">
        <FormMessage kind="success">Saved. The change applies to the very next query.</FormMessage>
      </div>
    ) : null}
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,26rem)] xl:grid-cols-[minmax(0,1fr)_minmax(0,30rem)]">
      <form ref={formRef} onSubmit={onSubmit} noValidate aria-label={policyId ? "Edit policy" : "New policy"} className="min-w-0">
        <fieldset disabled={readOnly || pending} className="min-w-0 space-y-4">
          <div className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2">
            <Field id="name" label="Name" error={err("name")}>
              <input {...fieldProps("name", err("name"))} value={form.name} onChange={(e) => set({ name: e.target.value })} className={inputClass} placeholder="Hide SSNs outside HR" />
            </Field>
            <Field id="description" label="Description (optional)" error={err("description")}>
              <input {...fieldProps("description", err("description"))} value={form.description} onChange={(e) => set({ description: e.target.value })} className={inputClass} />
            </Field>
          </div>
          <ScopeFieldset form={form} set={set} err={err} options={options} locked={!!policyId} />
          <WhoFieldset form={form} set={set} err={err} options={options} />
          <ActionFieldset form={form} set={set} err={err} options={options} source={source} columnSuggestions={columnSuggestions} />
        </fieldset>

        <div className="mt-4 space-y-3">
          {message ? <FormMessage kind={message.kind}>{message.text}</FormMessage> : null}
          {stale ? (
            <p className="text-sm text-slate-700">
              Reloading shows their change and discards your edits here.{" "}
              <Button tone="secondary" size="sm" onClick={() => window.location.reload()}>
                Reload the policy
              </Button>
            </p>
          ) : null}
          {err("_") ? <FormMessage>{err("_")!.join(" ")}</FormMessage> : null}
          <div className="flex flex-wrap items-center gap-2">
            {readOnly ? (
              <p className="text-sm text-slate-600">Read only: global policies are changed by governors.</p>
            ) : (
              <Button type="submit" disabled={pending}>
                {pending ? "Saving…" : policyId ? "Save changes" : "Create policy"}
              </Button>
            )}
            <Link href="/policies" className={buttonClass("secondary")}>
              {policyId ? "Back to policies" : "Cancel"}
            </Link>
            {policyId && remove && !readOnly ? (
              <span className="ml-auto">
                <ConfirmButton
                  label="Delete policy"
                  size="md"
                  title="Delete this policy?"
                  confirmLabel="Delete policy"
                  onConfirm={async () => {
                    let r: ActionResult<{ id: string }>;
                    try {
                      r = await remove({ id: policyId });
                    } catch {
                      return UNREACHABLE;
                    }
                    if (!r.ok) return r.error;
                    router.push(`/policies?deleted=${encodeURIComponent(initial.name)}`);
                  }}
                >
                  “{initial.name}” stops applying at the next query of every user it covers. The audit log keeps a record.
                </ConfirmButton>
              </span>
            ) : null}
          </div>
        </div>
      </form>
      {compile ? (
        <div className="min-w-0 lg:sticky lg:top-4 lg:self-start">
          <CompiledPanel draft={draft} scope={{ scope: form.scope, dataSourceId: form.dataSourceId }} policyId={policyId} options={options} compile={compile} />
        </div>
      ) : null}
    </div>
    </>
  );
}

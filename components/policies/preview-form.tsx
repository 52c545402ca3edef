"use client";

import { useEffect, useRef, useState } from "react";
import { Button, Field, fieldProps, FormMessage, inputClass } from "@/components/ui/form";
import { useAction } from "@/components/ui/use-action";
import type { ActionResult } from "@/lib/server/handlers";
import type { BuilderOptions } from "@/lib/server/policy-options";
import type { PreviewResult } from "@/lib/server/preview";
import { HYPOTHETICAL_USERNAME, type PreviewInput } from "@/lib/validations/preview";
import { defaultSampleUser } from "./compiled-panel";
import { PreviewResultView } from "./preview-result";
import { TokenInput } from "./token-input";

type PreviewFn = (input: PreviewInput) => Promise<ActionResult<PreviewResult>>;

/** Server 422 keys (`user.groups.0`) shown at the control that edits them. */
function fieldOf(key: string): string {
  if (key.startsWith("user.groups")) return "pv-groups";
  if (key.startsWith("user.attributes")) return "pv-attributes";
  if (key.startsWith("user.purposes")) return "pv-purposes";
  if (key === "user.username") return "pv-username";
  if (key === "dataSourceId") return "pv-ds";
  return "_";
}

/**
 * "View as user": a real user (the console loads their groups, attributes, purposes and subscription) or a
 * hypothetical one described here, on one data source. Runs on submit, and at once when the URL names both.
 */
export function PreviewForm({ options, initialDs, initialUser, preview }: { options: BuilderOptions; initialDs: string; initialUser: string; preview: PreviewFn }) {
  const [dataSourceId, setDataSourceId] = useState(initialDs || options.dataSources[0]?.id || "");
  const [kind, setKind] = useState<"real" | "hypothetical">("real");
  const [username, setUsername] = useState(initialUser || defaultSampleUser(options.users));
  const [hypoName, setHypoName] = useState("");
  const [groups, setGroups] = useState<string[]>([]);
  const [attributes, setAttributes] = useState<string[]>([]);
  const [purposes, setPurposes] = useState<string[]>([]);
  const [localErrors, setLocalErrors] = useState<Record<string, string[]>>({});
  const [result, setResult] = useState<PreviewResult | null>(null);
  const run = useAction(preview);
  const resultHeading = useRef<HTMLDivElement>(null);
  const autoRan = useRef(false);

  const serverErrors: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(run.fieldErrors)) (serverErrors[fieldOf(k)] ??= []).push(...v);
  const err = (id: string) => localErrors[id] ?? serverErrors[id];
  const attributeSuggestions = Object.entries(options.attributes).flatMap(([k, vs]) => vs.map((v) => `${k}=${v}`));

  function submit() {
    const errors: Record<string, string[]> = {};
    const pairs = attributes.map((a) => {
      const i = a.indexOf("=");
      return i > 0 ? { key: a.slice(0, i).trim(), value: a.slice(i + 1).trim() } : null;
    });
    if (kind === "hypothetical" && pairs.some((p) => !p || !p.key || !p.value)) errors["pv-attributes"] = ["Write each attribute as key=value."];
    if (!dataSourceId) errors["pv-ds"] = ["Choose a data source."];
    if (kind === "real" && !username) errors["pv-username"] = ["Choose a user."];
    setLocalErrors(errors);
    if (Object.keys(errors).length) return;
    const user: PreviewInput["user"] =
      kind === "real"
        ? { kind: "real", username }
        : {
            kind: "hypothetical",
            ...(hypoName.trim() ? { username: hypoName.trim() } : {}),
            groups,
            attributes: pairs.filter((p): p is { key: string; value: string } => p !== null),
            purposes,
          };
    run.run({ dataSourceId, user }, (data) => {
      setResult(data);
      requestAnimationFrame(() => resultHeading.current?.focus());
    });
  }

  useEffect(() => {
    if (autoRan.current || !initialDs || !initialUser) return;
    autoRan.current = true;
    submit();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <div className="space-y-6">
      <form
        aria-label="View as user"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        className="rounded-lg border border-slate-200 bg-white p-4"
      >
        <div className="grid gap-4 md:grid-cols-[minmax(0,16rem)_minmax(0,1fr)]">
          <Field id="pv-ds" label="Data source" error={err("pv-ds")}>
            <select {...fieldProps("pv-ds", err("pv-ds"))} value={dataSourceId} onChange={(e) => setDataSourceId(e.target.value)} className={`${inputClass} font-mono`}>
              {options.dataSources.length === 0 ? <option value="">No data source you may preview</option> : null}
              {options.dataSources.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.view}
                  {d.status === "DISABLED" ? " (disabled)" : ""}
                </option>
              ))}
            </select>
          </Field>
          <fieldset className="min-w-0">
            <legend className="block text-sm font-medium text-slate-700">User</legend>
            <div className="mt-1 flex flex-wrap gap-x-6 gap-y-1 text-sm">
              {(["real", "hypothetical"] as const).map((k) => (
                <div key={k} className="flex items-center gap-2">
                  <input type="radio" id={`pv-kind-${k}`} name="pv-kind" value={k} checked={kind === k} onChange={() => setKind(k)} className="accent-indigo-600" />
                  <label htmlFor={`pv-kind-${k}`}>{k === "real" ? "A real user" : "A hypothetical user"}</label>
                </div>
              ))}
            </div>
            {kind === "real" ? (
              <Field id="pv-username" label="Username" className="mt-2 max-w-72" error={err("pv-username")}>
                <select {...fieldProps("pv-username", err("pv-username"))} value={username} onChange={(e) => setUsername(e.target.value)} className={`${inputClass} font-mono`}>
                  {options.users.map((u) => (
                    <option key={u.username} value={u.username}>
                      {u.username}
                    </option>
                  ))}
                </select>
              </Field>
            ) : (
              <div className="mt-2 grid gap-3 sm:grid-cols-2">
                <Field id="pv-username" label="Username (for @username)" hint={`Optional; default ${HYPOTHETICAL_USERNAME}.`} error={err("pv-username")}>
                  <input {...fieldProps("pv-username", err("pv-username"), true)} value={hypoName} onChange={(e) => setHypoName(e.target.value)} placeholder={HYPOTHETICAL_USERNAME} className={`${inputClass} font-mono`} />
                </Field>
                <Field id="pv-groups" label="Groups" hint="Type and press Enter." error={err("pv-groups")}>
                  <TokenInput id="pv-groups" label="group" value={groups} onChange={setGroups} suggestions={options.groups} invalid={!!err("pv-groups")} describedBy={err("pv-groups") ? "pv-groups-error" : "pv-groups-hint"} />
                </Field>
                <Field id="pv-attributes" label="Attributes" hint="key=value, one at a time." error={err("pv-attributes")}>
                  <TokenInput id="pv-attributes" label="attribute" value={attributes} onChange={setAttributes} suggestions={attributeSuggestions} placeholder="region=EU" invalid={!!err("pv-attributes")} describedBy={err("pv-attributes") ? "pv-attributes-error" : "pv-attributes-hint"} />
                </Field>
                <Field id="pv-purposes" label="Active purposes" hint="As if acknowledged in their current project." error={err("pv-purposes")}>
                  <TokenInput id="pv-purposes" label="purpose" value={purposes} onChange={setPurposes} suggestions={options.purposes} invalid={!!err("pv-purposes")} describedBy={err("pv-purposes") ? "pv-purposes-error" : "pv-purposes-hint"} />
                </Field>
              </div>
            )}
          </fieldset>
        </div>
        <div className="mt-4 flex items-center gap-3">
          <Button type="submit" disabled={run.pending || options.dataSources.length === 0}>
            {run.pending ? "Fetching from Trino…" : "Preview"}
          </Button>
          <p className="text-xs text-slate-500">Compiles the view with the saved policies and fetches up to 20 rows from Trino.</p>
        </div>
        {run.error ? (
          <div className="mt-3">
            <FormMessage>{run.error}</FormMessage>
          </div>
        ) : null}
      </form>
      <div ref={resultHeading} tabIndex={-1} aria-live="polite" className="focus:outline-none">
        {result ? <PreviewResultView r={result} /> : null}
      </div>
    </div>
  );
}

"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Button, Field, FormMessage, buttonClass, fieldProps, inputClass } from "@/components/ui/form";
import { useAction } from "@/components/ui/use-action";
import {
  addProjectDataSourceAction,
  addProjectPurposeAction,
  createProjectAction,
  deleteProjectAction,
  removeProjectDataSourceAction,
  removeProjectMemberAction,
  removeProjectPurposeAction,
  updateProjectAction,
} from "./actions";

interface PurposeDraft {
  name: string;
  statement: string;
}

function PurposeFields({ prefix, path, value, onChange, errors }: { prefix: string; path: string; value: PurposeDraft; onChange: (v: PurposeDraft) => void; errors: Record<string, string[]> }) {
  return (
    <div className="grid flex-1 gap-3 sm:grid-cols-[14rem_1fr]">
      <Field id={`${prefix}-name`} label="Purpose name" hint="e.g. fraud-detection; policies name it." error={errors.name}>
        <input {...fieldProps(`${prefix}-name`, errors.name, true, `${path}.name`)} className={inputClass} value={value.name} onChange={(e) => onChange({ ...value, name: e.target.value })} />
      </Field>
      <Field id={`${prefix}-statement`} label="Statement members acknowledge" error={errors.statement}>
        <textarea {...fieldProps(`${prefix}-statement`, errors.statement, false, `${path}.statement`)} rows={2} className={inputClass} value={value.statement} onChange={(e) => onChange({ ...value, statement: e.target.value })} />
      </Field>
    </div>
  );
}

const sub = (errors: Record<string, string[]>, prefix: string) =>
  Object.fromEntries(Object.entries(errors).filter(([k]) => k.startsWith(`${prefix}.`)).map(([k, v]) => [k.slice(prefix.length + 1), v]));

export function NewProjectForm({ users }: { users: string[] }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [purposes, setPurposes] = useState<PurposeDraft[]>([{ name: "", statement: "" }]);
  const [members, setMembers] = useState<string[]>([]);
  const { run, pending, message, fieldErrors, onFormChange } = useAction(createProjectAction);
  return (
    <form
      noValidate
      aria-label="New project"
      onChange={onFormChange}
      className="max-w-4xl space-y-6"
      onSubmit={(e) => {
        e.preventDefault();
        run({ name, description, purposes: purposes.filter((p) => p.name || p.statement), members }, (p) => router.push(`/projects/${p.id}`));
      }}
    >
      <div className="grid gap-4 sm:grid-cols-[18rem_1fr]">
        <Field id="name" label="Project name" hint="Lower-case, e.g. churn-analysis." error={fieldErrors.name}>
          <input {...fieldProps("name", fieldErrors.name, true)} className={inputClass} value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        </Field>
        <Field id="description" label="Description" hint="Optional." error={fieldErrors.description}>
          <input {...fieldProps("description", fieldErrors.description, true)} className={inputClass} value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Purposes</legend>
        <div className="mt-2 space-y-3">
          {purposes.map((p, i) => (
            <div key={i} className="flex items-start gap-2">
              <PurposeFields prefix={`purpose-${i}`} path={`purposes.${i}`} value={p} errors={sub(fieldErrors, `purposes.${i}`)} onChange={(v) => setPurposes(purposes.map((x, j) => (j === i ? v : x)))} />
              <Button tone="dangerGhost" size="sm" className="mt-6" aria-label={`Remove purpose ${i + 1}`} onClick={() => setPurposes(purposes.filter((_, j) => j !== i))}>
                Remove
              </Button>
            </div>
          ))}
        </div>
        <Button tone="secondary" size="sm" className="mt-2" onClick={() => setPurposes([...purposes, { name: "", statement: "" }])}>
          Add purpose
        </Button>
        {fieldErrors.purposes ? <p className="mt-1 text-xs text-red-700">{fieldErrors.purposes.join(" ")}</p> : null}
      </fieldset>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Members</legend>
        <div className="mt-2 flex flex-wrap gap-x-5 gap-y-2">
          {users.map((u) => (
            <label key={u} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="members" checked={members.includes(u)} onChange={(e) => setMembers(e.target.checked ? [...members, u] : members.filter((m) => m !== u))} />
              <span className="font-mono">{u}</span>
            </label>
          ))}
        </div>
        {fieldErrors.members ? <p className="mt-1 text-xs text-red-700">{fieldErrors.members.join(" ")}</p> : null}
      </fieldset>
      {message ? <FormMessage>{message}</FormMessage> : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>{pending ? "Creating…" : "Create project"}</Button>
        <Link href="/projects" className={buttonClass("secondary")}>Cancel</Link>
      </div>
    </form>
  );
}

export function DescriptionForm({ id, initial }: { id: string; initial: string }) {
  const router = useRouter();
  const [description, setDescription] = useState(initial);
  const [saved, setSaved] = useState(false);
  const { run, pending, error, fieldErrors } = useAction(updateProjectAction);
  return (
    <form
      noValidate
      aria-label="Project description"
      className="flex flex-wrap items-start gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        run({ id, description }, () => {
          setSaved(true);
          router.refresh();
        });
      }}
    >
      <Field id="description" label="Description" error={fieldErrors.description} className="min-w-80 flex-1">
        <input {...fieldProps("description", fieldErrors.description)} className={inputClass} value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <Button type="submit" tone="secondary" className="mt-6" disabled={pending}>{pending ? "Saving…" : "Save"}</Button>
      <div className="basis-full empty:hidden">
        {error && !fieldErrors.description ? <FormMessage>{error}</FormMessage> : null}
        {saved ? <FormMessage kind="success">Saved.</FormMessage> : null}
      </div>
    </form>
  );
}

export function AddPurposeForm({ projectId }: { projectId: string }) {
  const router = useRouter();
  const [purpose, setPurpose] = useState<PurposeDraft>({ name: "", statement: "" });
  const { run, pending, error, fieldErrors, onFormChange } = useAction(addProjectPurposeAction);
  const errors = sub(fieldErrors, "purpose");
  return (
    <form
      noValidate
      aria-label="Add purpose"
      onChange={onFormChange}
      className="flex flex-wrap items-start gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        run({ projectId, purpose }, () => {
          setPurpose({ name: "", statement: "" });
          router.refresh();
        });
      }}
    >
      <PurposeFields prefix="new-purpose" path="purpose" value={purpose} onChange={setPurpose} errors={errors} />
      <Button type="submit" className="mt-6" disabled={pending}>{pending ? "Adding…" : "Add purpose"}</Button>
      {error && !Object.keys(errors).length ? <div className="basis-full"><FormMessage>{error}</FormMessage></div> : null}
    </form>
  );
}

export function RemovePurpose({ projectId, purposeId, name, project }: { projectId: string; purposeId: string; name: string; project: string }) {
  const router = useRouter();
  const { runForMessage } = useAction(removeProjectPurposeAction);
  return (
    <ConfirmButton label="Remove" ariaLabel={`Remove purpose ${name}`} title={`Remove ${name} from ${project}?`} confirmLabel="Remove purpose" onConfirm={() => runForMessage({ projectId, purposeId }, () => router.refresh())}>
      Members whose current project is {project} lose {name} as an active purpose from their next Trino query.
    </ConfirmButton>
  );
}

export function RemoveProjectMember({ projectId, project, username }: { projectId: string; project: string; username: string }) {
  const router = useRouter();
  const { runForMessage } = useAction(removeProjectMemberAction);
  return (
    <ConfirmButton label="Remove" ariaLabel={`Remove ${username} from ${project}`} title={`Remove ${username} from ${project}?`} confirmLabel="Remove member" onConfirm={() => runForMessage({ projectId, username }, () => router.refresh())}>
      If {project} is {username}&apos;s current project, they are left without one, and without its purposes.
    </ConfirmButton>
  );
}

export function DeleteProject({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const { runForMessage } = useAction(deleteProjectAction);
  return (
    <ConfirmButton label="Delete project" tone="danger" size="md" title={`Delete the project ${name}?`} confirmLabel="Delete project" onConfirm={() => runForMessage({ id }, () => router.push("/projects"))}>
      Members lose it as their current project and its purposes stop being active for them. The purposes themselves and their acknowledgements are kept.
    </ConfirmButton>
  );
}

/** Data sources a project holds: members working in it see only these (from their next query). */
export function AddProjectDataSource({ projectId, options }: { projectId: string; options: { id: string; view: string }[] }) {
  const router = useRouter();
  const [dataSourceId, setDataSourceId] = useState("");
  const { run, pending, error } = useAction(addProjectDataSourceAction);
  if (!options.length) return <p className="text-sm text-slate-500">Every data source is in this project.</p>;
  return (
    <form
      aria-label="Add a data source to the project"
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        if (dataSourceId) run({ projectId, dataSourceId }, () => { setDataSourceId(""); router.refresh(); });
      }}
    >
      <Field id="project-ds" label="Data source" className="w-72">
        <select id="project-ds" value={dataSourceId} onChange={(e) => setDataSourceId(e.target.value)} className={inputClass}>
          <option value="">Choose…</option>
          {options.map((o) => <option key={o.id} value={o.id}>{o.view}</option>)}
        </select>
      </Field>
      <Button type="submit" tone="secondary" disabled={pending || !dataSourceId}>{pending ? "Adding…" : "Add to project"}</Button>
      {error ? <div className="basis-full"><FormMessage>{error}</FormMessage></div> : null}
    </form>
  );
}

export function RemoveProjectDataSource({ projectId, project, dataSourceId, view }: { projectId: string; project: string; dataSourceId: string; view: string }) {
  const router = useRouter();
  const { runForMessage } = useAction(removeProjectDataSourceAction);
  return (
    <ConfirmButton label="Remove" ariaLabel={`Remove ${view} from ${project}`} title={`Remove ${view} from ${project}?`} confirmLabel="Remove data source" onConfirm={() => runForMessage({ projectId, dataSourceId }, () => router.refresh())}>
      Members working in {project} stop seeing {view} from their next Trino query; without a project (or in another that holds it) they still do.
    </ConfirmButton>
  );
}

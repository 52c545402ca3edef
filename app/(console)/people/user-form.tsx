"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, Field, FormMessage, buttonClass, fieldProps, inputClass } from "@/components/ui/form";
import { useAction } from "@/components/ui/use-action";
import { ROLES, type RoleName } from "@/lib/roles";
import { createUserAction, updateUserAction } from "./actions";

interface Attribute {
  key: string;
  value: string;
}

export interface UserFormValues {
  id?: string;
  username: string;
  displayName: string;
  roles: RoleName[];
  groups: string[];
  attributes: Attribute[];
}

const ROLE_HINTS: Record<RoleName, string> = {
  ADMIN: "integration, people, everything",
  DATA_OWNER: "registers data sources, decides requests",
  GOVERNOR: "writes policies, approves any request",
  AUDITOR: "reads the audit log",
};

/** Create (with username and password) or edit a user: roles, groups and multi-valued attributes. */
export function UserForm({ initial, allGroups, isSelf = false }: { initial?: UserFormValues; allGroups: string[]; isSelf?: boolean }) {
  const router = useRouter();
  const editing = Boolean(initial?.id);
  const [username, setUsername] = useState(initial?.username ?? "");
  const [displayName, setDisplayName] = useState(initial?.displayName ?? "");
  const [password, setPassword] = useState("");
  const [roles, setRoles] = useState<RoleName[]>(initial?.roles ?? []);
  const [groups, setGroups] = useState<string[]>(initial?.groups ?? []);
  const [attributes, setAttributes] = useState<Attribute[]>(initial?.attributes ?? []);
  const [saved, setSaved] = useState(false);
  const create = useAction(createUserAction);
  const update = useAction(updateUserAction);
  const { pending, message, fieldErrors, onFormChange } = editing ? update : create;

  const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));
  const attrError = (i: number, f: "key" | "value") => fieldErrors[`attributes.${i}.${f}`];

  function submit(e: React.FormEvent) {
    e.preventDefault();
    setSaved(false);
    const body = { displayName, roles, groups, attributes };
    if (editing) update.run({ id: initial!.id!, ...body }, () => { setSaved(true); router.refresh(); });
    else create.run({ username, password, ...body }, (u) => router.push(`/people?created=${encodeURIComponent(u.username)}`));
  }

  return (
    <form onSubmit={submit} onChange={onFormChange} noValidate className="max-w-3xl space-y-6" aria-label={editing ? "Edit user" : "New user"}>
      <div className="grid gap-4 sm:grid-cols-2">
        {editing ? null : (
          <Field id="username" label="Username" hint="The Trino user name; stored lower-case." error={fieldErrors.username}>
            <input {...fieldProps("username", fieldErrors.username, true)} className={inputClass} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" required autoFocus />
          </Field>
        )}
        <Field id="displayName" label="Display name" hint="Optional." error={fieldErrors.displayName}>
          <input {...fieldProps("displayName", fieldErrors.displayName, true)} className={inputClass} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </Field>
        {editing ? null : (
          <Field id="password" label="Password" hint="At least 8 characters. Share it with the user out of band." error={fieldErrors.password}>
            <input {...fieldProps("password", fieldErrors.password, true)} type="password" autoComplete="new-password" className={inputClass} value={password} onChange={(e) => setPassword(e.target.value)} required />
          </Field>
        )}
      </div>

      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Roles</legend>
        <p className="text-xs text-slate-500">Without a role, a user browses data sources and requests access.</p>
        <div className="mt-2 grid gap-2 sm:grid-cols-2">
          {ROLES.map((r) => (
            <label key={r} className="flex items-start gap-2 text-sm">
              <input type="checkbox" name="roles" className="mt-0.5" checked={roles.includes(r)} onChange={(e) => setRoles(toggle(roles, r, e.target.checked))} disabled={isSelf && r === "ADMIN"} />
              <span>
                <span className="font-medium">{r.toLowerCase().replace("_", " ")}</span> <span className="text-slate-500">— {ROLE_HINTS[r]}</span>
              </span>
            </label>
          ))}
        </div>
        {fieldErrors.roles ? <p className="mt-1 text-xs text-red-700">{fieldErrors.roles.join(" ")}</p> : null}
      </fieldset>

      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Groups</legend>
        {allGroups.length === 0 ? (
          <p className="mt-1 text-sm text-slate-500">No groups yet. Create groups on the People page.</p>
        ) : (
          <div className="mt-2 flex flex-wrap gap-x-5 gap-y-2">
            {allGroups.map((g) => (
              <label key={g} className="flex items-center gap-2 text-sm">
                <input type="checkbox" name="groups" checked={groups.includes(g)} onChange={(e) => setGroups(toggle(groups, g, e.target.checked))} />
                <span className="font-mono">{g}</span>
              </label>
            ))}
          </div>
        )}
        {fieldErrors.groups ? <p className="mt-1 text-xs text-red-700">{fieldErrors.groups.join(" ")}</p> : null}
      </fieldset>

      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Attributes</legend>
        <p className="text-xs text-slate-500">Key = value pairs that policies match on (e.g. region = EU). Repeat a key for several values.</p>
        <ul className="mt-2 space-y-2" aria-label="Attributes">
          {attributes.map((a, i) => (
            <li key={i} className="flex items-start gap-2">
              <div className="w-48">
                <label className="sr-only" htmlFor={`attr-key-${i}`}>Attribute {i + 1} key</label>
                <input id={`attr-key-${i}`} name={`attributes.${i}.key`} aria-invalid={Boolean(attrError(i, "key")) || undefined} className={`${inputClass} mt-0`} placeholder="key" value={a.key} onChange={(e) => setAttributes(attributes.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))} />
                {attrError(i, "key") ? <p className="mt-1 text-xs text-red-700">{attrError(i, "key")!.join(" ")}</p> : null}
              </div>
              <span className="pt-1.5 text-slate-400" aria-hidden>=</span>
              <div className="w-56">
                <label className="sr-only" htmlFor={`attr-value-${i}`}>Attribute {i + 1} value</label>
                <input id={`attr-value-${i}`} name={`attributes.${i}.value`} aria-invalid={Boolean(attrError(i, "value")) || undefined} className={`${inputClass} mt-0`} placeholder="value" value={a.value} onChange={(e) => setAttributes(attributes.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))} />
                {attrError(i, "value") ? <p className="mt-1 text-xs text-red-700">{attrError(i, "value")!.join(" ")}</p> : null}
              </div>
              <Button tone="dangerGhost" size="sm" className="mt-1.5" aria-label={`Remove attribute ${a.key || i + 1}${a.value ? `=${a.value}` : ""}`} onClick={() => setAttributes(attributes.filter((_, j) => j !== i))}>
                Remove
              </Button>
            </li>
          ))}
        </ul>
        <Button
          tone="secondary"
          size="sm"
          className="mt-2"
          onClick={() => {
            setAttributes([...attributes, { key: attributes.at(-1)?.key ?? "", value: "" }]);
            requestAnimationFrame(() => document.getElementById(`attr-${attributes.length ? "value" : "key"}-${attributes.length}`)?.focus());
          }}
        >
          Add attribute
        </Button>
      </fieldset>

      {message ? <FormMessage>{message}</FormMessage> : null}
      {saved && !message ? <FormMessage kind="success">Saved. The user&apos;s next Trino query sees the change.</FormMessage> : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>{pending ? "Saving…" : editing ? "Save changes" : "Create user"}</Button>
        <Link href="/people" className={buttonClass("secondary")}>
          {editing ? "Back to people" : "Cancel"}
        </Link>
      </div>
    </form>
  );
}

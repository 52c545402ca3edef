// Form primitives shared by the console's forms: one look for labels, inputs, inline errors and buttons.

export const inputClass =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-xs focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200 aria-[invalid=true]:border-red-500 disabled:bg-slate-100";

const buttonTones = {
  primary: "bg-indigo-600 text-white hover:bg-indigo-700 focus-visible:outline-indigo-600",
  secondary: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50 focus-visible:outline-indigo-600",
  danger: "bg-red-600 text-white hover:bg-red-700 focus-visible:outline-red-600",
  ghost: "text-indigo-700 hover:bg-indigo-50 focus-visible:outline-indigo-600",
  dangerGhost: "text-red-700 hover:bg-red-50 focus-visible:outline-red-600",
} as const;
export type ButtonTone = keyof typeof buttonTones;

export function buttonClass(tone: ButtonTone = "primary", size: "sm" | "md" = "md"): string {
  const pad = size === "sm" ? "px-2 py-1 text-xs" : "px-3 py-1.5 text-sm";
  return `inline-flex items-center justify-center gap-1 rounded-md font-medium focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:opacity-60 ${pad} ${buttonTones[tone]}`;
}

export function Button({ tone = "primary", size = "md", className = "", ...props }: React.ButtonHTMLAttributes<HTMLButtonElement> & { tone?: ButtonTone; size?: "sm" | "md" }) {
  return <button type="button" {...props} className={`${buttonClass(tone, size)} ${className}`} />;
}

/** A label around its control, with an optional hint and the field's inline error (linked by aria-describedby). */
export function Field({ id, label, hint, error, children, className = "" }: { id: string; label: React.ReactNode; hint?: React.ReactNode; error?: string | string[]; children: React.ReactNode; className?: string }) {
  const message = Array.isArray(error) ? error.join(" ") : error;
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
      {hint && !message ? <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">{hint}</p> : null}
      {message ? (
        <p id={`${id}-error`} className="mt-1 text-xs text-red-700">
          {message}
        </p>
      ) : null}
    </div>
  );
}

/** Props for an input inside <Field>: invalid state and the id of the message that explains it. */
export function fieldProps(id: string, error?: string | string[], hint?: boolean, name = id) {
  const invalid = Boolean(error && (Array.isArray(error) ? error.length : true));
  return {
    id,
    name,
    "aria-invalid": invalid || undefined,
    "aria-describedby": invalid ? `${id}-error` : hint ? `${id}-hint` : undefined,
  } as const;
}

export function FormMessage({ kind = "error", children, id }: { kind?: "error" | "success" | "info"; children: React.ReactNode; id?: string }) {
  const tone = kind === "error" ? "bg-red-50 text-red-800 border-red-200" : kind === "success" ? "bg-emerald-50 text-emerald-800 border-emerald-200" : "bg-slate-50 text-slate-700 border-slate-200";
  return (
    <p id={id} role={kind === "error" ? "alert" : "status"} className={`rounded-md border px-3 py-2 text-sm ${tone}`}>
      {children}
    </p>
  );
}

export function Section({ title, description, children, actions, id }: { title: string; description?: React.ReactNode; children: React.ReactNode; actions?: React.ReactNode; id?: string }) {
  const headingId = id ? `${id}-heading` : undefined;
  return (
    <section aria-labelledby={headingId} className="mb-8 rounded-lg border border-slate-200 bg-white p-5">
      <div className="mb-4 flex items-start justify-between gap-4">
        <div>
          <h2 id={headingId} className="text-lg font-medium">{title}</h2>
          {description ? <p className="mt-0.5 text-sm text-slate-600">{description}</p> : null}
        </div>
        {actions ? <div className="flex shrink-0 gap-2">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}

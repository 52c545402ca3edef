"use client";

import { useState } from "react";

/**
 * A list of short values typed one by one: Enter or comma adds (leaving the field adds too), each chip has a
 * remove button, suggestions come from a <datalist>. The input carries the id, so a <Field> label points at it.
 */
export function TokenInput({
  id,
  value,
  onChange,
  suggestions = [],
  placeholder,
  invalid,
  describedBy,
  label,
}: {
  id: string;
  value: string[];
  onChange: (next: string[]) => void;
  suggestions?: readonly string[];
  placeholder?: string;
  invalid?: boolean;
  describedBy?: string;
  /** what one item is, for the remove buttons ("group") */
  label: string;
}) {
  const [text, setText] = useState("");
  const listId = `${id}-suggestions`;
  const add = (raw: string) => {
    const items = raw
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s.length > 0 && !value.includes(s));
    if (items.length) onChange([...value, ...new Set(items)]);
    setText("");
  };
  return (
    <div>
      {/* chips sit in the box with the input, so adding one rarely changes the height (a click in progress stays on its target) */}
      <div
        className={`mt-1 flex min-h-[2.125rem] w-full flex-wrap items-center gap-1 rounded-md border bg-white px-2 py-1 shadow-xs focus-within:border-indigo-500 focus-within:ring-2 focus-within:ring-indigo-200 ${invalid ? "border-red-500" : "border-slate-300"}`}
      >
        {value.length ? (
          <ul className="flex flex-wrap gap-1" aria-label={`Chosen: ${label}`}>
            {value.map((v) => (
              <li key={v} className="inline-flex items-center gap-1 rounded bg-indigo-50 py-0.5 pl-2 pr-1 font-mono text-xs text-indigo-800">
                {v}
                <button
                  type="button"
                  onClick={() => onChange(value.filter((x) => x !== v))}
                  className="rounded px-1 text-indigo-500 hover:bg-indigo-100 hover:text-indigo-800 focus-visible:outline-2 focus-visible:outline-indigo-600"
                  aria-label={`Remove ${label} ${v}`}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <input
          id={id}
          name={id}
          value={text}
          list={suggestions.length ? listId : undefined}
          placeholder={value.length ? undefined : placeholder}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          className="min-w-24 flex-1 border-0 bg-transparent p-0 py-0.5 text-sm focus:outline-none disabled:bg-slate-100"
          autoComplete="off"
          onChange={(e) => {
            const v = e.target.value;
            if (v.endsWith(",")) add(v);
            else setText(v);
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              add(text);
            } else if (e.key === "Backspace" && text === "" && value.length) {
              onChange(value.slice(0, -1));
            }
          }}
          onBlur={() => {
            if (text.trim()) add(text);
          }}
        />
      </div>
      {suggestions.length ? (
        <datalist id={listId}>
          {suggestions
            .filter((s) => !value.includes(s))
            .map((s) => (
              <option key={s} value={s} />
            ))}
        </datalist>
      ) : null}
    </div>
  );
}

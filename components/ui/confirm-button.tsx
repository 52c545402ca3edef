"use client";

import { useId, useRef, useState, useTransition } from "react";
import { Button, FormMessage, type ButtonTone } from "./form";

/**
 * A destructive action behind a modal confirmation (native <dialog>: focus moves into it, Escape cancels).
 * `onConfirm` returns an error message to show, or nothing when done.
 */
export function ConfirmButton({
  label,
  title,
  children,
  confirmLabel,
  onConfirm,
  tone = "dangerGhost",
  confirmTone = "danger",
  size = "sm",
  disabled,
  ariaLabel,
}: {
  label: React.ReactNode;
  title: string;
  children: React.ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<string | null | void>;
  tone?: ButtonTone;
  confirmTone?: ButtonTone;
  size?: "sm" | "md";
  disabled?: boolean;
  ariaLabel?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const id = useId();
  return (
    <>
      <Button tone={tone} size={size} disabled={disabled} aria-label={ariaLabel} onClick={() => { setError(null); dialog.current?.showModal(); }}>
        {label}
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-body`}
        className="m-auto w-full max-w-md rounded-lg border border-slate-200 p-0 text-left font-normal shadow-xl backdrop:bg-slate-900/40"
      >
        <div className="p-5">
          <h2 id={`${id}-title`} className="text-lg font-semibold">{title}</h2>
          <div id={`${id}-body`} className="mt-2 text-sm text-slate-700">{children}</div>
          {error ? <div className="mt-3"><FormMessage>{error}</FormMessage></div> : null}
          <div className="mt-5 flex justify-end gap-2">
            <Button tone="secondary" autoFocus onClick={() => dialog.current?.close()} disabled={pending}>
              Cancel
            </Button>
            <Button
              tone={confirmTone}
              disabled={pending}
              onClick={() =>
                start(async () => {
                  const message = await onConfirm();
                  if (message) setError(message);
                  else dialog.current?.close();
                })
              }
            >
              {pending ? "Working…" : confirmLabel}
            </Button>
          </div>
        </div>
      </dialog>
    </>
  );
}

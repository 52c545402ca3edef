"use client";

import { useCallback, useState, useTransition } from "react";
import type { ActionResult } from "@/lib/server/handlers";

/** Runs a server action made with `action()` and keeps its pending state, message and inline field errors. */
export function useAction<I, T>(fn: (input: I) => Promise<ActionResult<T>>) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const reset = useCallback(() => {
    setError(null);
    setFieldErrors({});
  }, []);
  const run = useCallback(
    (input: I, onOk?: (data: T) => void) =>
      start(async () => {
        let result: ActionResult<T>;
        try {
          result = await fn(input);
        } catch {
          result = { ok: false, status: 0, error: "The server could not be reached. Try again." };
        }
        if (result.ok) {
          reset();
          onOk?.(result.data);
        } else {
          setError(result.error);
          setFieldErrors(result.fieldErrors ?? {});
        }
      }),
    [fn, reset],
  );
  /** For ConfirmButton: resolves to the error message, or null when it worked. */
  const runForMessage = useCallback(
    async (input: I, onOk?: (data: T) => void): Promise<string | null> => {
      try {
        const result = await fn(input);
        if (result.ok) {
          onOk?.(result.data);
          return null;
        }
        return result.error;
      } catch {
        return "The server could not be reached. Try again.";
      }
    },
    [fn],
  );
  /** Editing a field clears its own inline error (and those under it, e.g. `attributes.0.key`). */
  const clearField = useCallback((name: string | undefined) => {
    if (!name) return;
    setFieldErrors((prev) => {
      const keys = Object.keys(prev).filter((k) => k === name || k.startsWith(`${name}.`));
      if (keys.length === 0) return prev;
      const next = { ...prev };
      for (const k of keys) delete next[k];
      return next;
    });
  }, []);
  /** The message above the buttons: a pointer to the fields when they explain the error inline. */
  const message = Object.keys(fieldErrors).some((k) => k !== "_") ? (error ? "Check the fields marked in red." : null) : error;
  /** For <form onChange>: inputs are named after their field's path. */
  const onFormChange = useCallback((e: React.FormEvent<HTMLFormElement>) => clearField((e.target as HTMLInputElement).name), [clearField]);
  return { pending, error, message, fieldErrors, run, runForMessage, reset, clearField, onFormChange };
}

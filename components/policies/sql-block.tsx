"use client";

import { useState } from "react";
import { Button } from "@/components/ui/form";

/** Formatted SQL in a scrollable block with a copy button. */
export function SqlBlock({ sql, label, className = "" }: { sql: string; label: string; className?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className={`relative ${className}`}>
      <pre
        aria-label={label}
        tabIndex={0}
        className="max-h-[28rem] overflow-auto rounded-md border border-slate-200 bg-slate-950 p-3 font-mono text-xs leading-5 text-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        <code>{sql}</code>
      </pre>
      <Button
        tone="secondary"
        size="sm"
        className="absolute right-4 top-2 opacity-90"
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(sql);
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          } catch {
            setCopied(false);
          }
        }}
      >
        {copied ? "Copied" : "Copy"}
      </Button>
    </div>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, FormMessage } from "@/components/ui/form";
import { useAction } from "@/components/ui/use-action";
import { createCatalogAction } from "./actions";

export function CreateCatalogButton({ catalog }: { catalog: string }) {
  const router = useRouter();
  const { run, pending, error } = useAction(createCatalogAction);
  const [created, setCreated] = useState<{ catalog: string; apiKeyEnv: string; keyAccepted: boolean; keyProblem?: string } | null>(null);
  return (
    <div className="space-y-2">
      <Button
        disabled={pending}
        onClick={() => {
          setCreated(null);
          run({}, (r) => {
            setCreated(r);
            router.refresh();
          });
        }}
      >
        {pending ? "Creating…" : `Create catalog ${catalog} in Trino`}
      </Button>
      <div aria-live="polite">
        {error ? <FormMessage>{error}</FormMessage> : null}
        {created ? (
          <FormMessage kind={created.keyAccepted ? "success" : "error"}>
            <span data-testid="catalog-result">
              {created.keyAccepted
                ? `Created catalog ${created.catalog}. Its API key comes from Trino's environment variable ${created.apiKeyEnv} and the console accepts it. Revoking that key makes the catalog fail closed.`
                : `Created catalog ${created.catalog}, but its API key (Trino's environment variable ${created.apiKeyEnv}) does not work: ${created.keyProblem ?? "unknown error"}`}
            </span>
          </FormMessage>
        ) : null}
      </div>
    </div>
  );
}

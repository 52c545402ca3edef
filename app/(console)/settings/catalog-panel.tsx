"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, FormMessage } from "@/components/ui/form";
import { useAction } from "@/components/ui/use-action";
import { createCatalogAction } from "./actions";

export function CreateCatalogButton({ catalog }: { catalog: string }) {
  const router = useRouter();
  const { run, pending, error } = useAction(createCatalogAction);
  const [created, setCreated] = useState<{ catalog: string; apiKeyPrefix: string } | null>(null);
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
          <FormMessage kind="success">
            <span data-testid="catalog-result">
              Created catalog {created.catalog} with a new API key ({created.apiKeyPrefix}…, named &quot;catalog {created.catalog}&quot;). Revoking that key
              makes the catalog fail closed.
            </span>
          </FormMessage>
        ) : null}
      </div>
    </div>
  );
}

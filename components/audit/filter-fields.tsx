import Link from "next/link";
import { Field, FormMessage, buttonClass, inputClass } from "@/components/ui/form";

// The parts the audit pages' filter forms share: the UTC date range, Filter/Clear, and what was not applied.

/** From / To (inclusive) date inputs, showing what the URL said even when it was not a date. */
export function DateRangeFields({ raw, errors }: { raw: Record<string, string | undefined>; errors: Record<string, string> }) {
  return (
    <>
      <Field id="from" label="From" error={errors.from}>
        <input id="from" name="from" type="date" defaultValue={raw.from ?? ""} aria-invalid={Boolean(errors.from) || undefined} className={inputClass} />
      </Field>
      <Field id="to" label="To (inclusive)" error={errors.to}>
        <input id="to" name="to" type="date" defaultValue={raw.to ?? ""} aria-invalid={Boolean(errors.to) || undefined} className={inputClass} />
      </Field>
    </>
  );
}

export function FilterButtons({ clearHref, filtered }: { clearHref: string; filtered: boolean }) {
  return (
    <div className="mt-6 flex gap-2">
      <button type="submit" className={buttonClass()}>Filter</button>
      {filtered ? <Link href={clearHref} className={buttonClass("secondary")}>Clear</Link> : null}
    </div>
  );
}

/** The filters readFilters dropped, and why. */
export function FilterErrors({ errors }: { errors: Record<string, string> }) {
  if (!Object.keys(errors).length) return null;
  return (
    <div className="mb-4">
      <FormMessage>
        {errors.from || errors.to ? "The date filter was not applied" : "Some filters were not applied"}: {Object.values(errors).join(" ")}
      </FormMessage>
    </div>
  );
}

import Link from "next/link";

export default function DataSourceNotFound() {
  return (
    <div className="mx-auto max-w-lg py-24 text-center">
      <p className="text-sm font-semibold text-indigo-600">404</p>
      <h1 className="mt-2 text-2xl font-semibold">No such data source</h1>
      <p className="mt-2 text-slate-600">It may have been deleted.</p>
      <Link href="/data-sources" className="mt-6 inline-block text-indigo-700 hover:underline">Back to the catalogue</Link>
    </div>
  );
}

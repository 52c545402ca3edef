import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-lg px-6 py-24 text-center">
      <p className="text-sm font-semibold text-indigo-600">403</p>
      <h1 className="mt-2 text-2xl font-semibold">You are not allowed to see this page</h1>
      <p className="mt-2 text-slate-600">Your roles do not include this part of Steward. Ask an administrator if you need it.</p>
      <Link href="/data-sources" className="mt-6 inline-block text-indigo-600 hover:underline">Back to the catalogue</Link>
    </main>
  );
}

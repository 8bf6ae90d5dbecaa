import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl p-6">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="mt-2">There is no such model or page here.</p>
      <Link className="mt-4 inline-block underline" href="/">
        Go to the default model
      </Link>
    </main>
  );
}

import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-xl flex-col justify-center p-6">
      <p className="text-sm font-medium text-accent-600 dark:text-accent-300">404</p>
      <h1 className="mt-1 text-2xl font-semibold tracking-tight">Not found</h1>
      <p className="mt-2 text-neutral-600 dark:text-neutral-400">There is no such model or page here.</p>
      <Link
        className="mt-6 inline-flex w-fit items-center rounded-lg bg-accent-600 px-4 py-2 text-sm font-medium text-white hover:bg-accent-700"
        href="/"
      >
        Go to the default model
      </Link>
    </main>
  );
}

/** Sizes as the UI and the size check show them: "880 MB", "1.1 GB", "220 GB". */
export function formatMB(mb: number): string {
  if (mb < 1024) return `${Math.round(mb)} MB`;
  const gb = mb / 1024;
  return `${gb >= 100 ? Math.round(gb) : gb.toFixed(1).replace(/\.0$/, "")} GB`;
}

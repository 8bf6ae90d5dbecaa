import "server-only";

/**
 * Logging of upstream trouble. Raw upstream text goes to the server log (never to a user), with
 * anything that looks like a secret masked first: the configured token, any `hf_...` token, and
 * `password=`/`token=`/`secret=`/`key=` values.
 */
const HF_TOKEN_PATTERN = /hf_[A-Za-z0-9_-]{4,}/g;
const ASSIGNED_SECRET = /\b([\w-]*(?:password|passwd|secret|token|api[_-]?key|authorization)[\w-]*)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&]+)/gi;
const BEARER = /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi;

export function redact(text: string, env: Record<string, string | undefined> = process.env): string {
  let out = text;
  const token = env.HF_TOKEN?.trim();
  if (token && token.length >= 4) out = out.split(token).join("[redacted]");
  return out
    .replace(BEARER, "Bearer [redacted]")
    .replace(ASSIGNED_SECRET, (_m, key: string, sep: string) => `${key}${sep}[redacted]`)
    .replace(HF_TOKEN_PATTERN, "hf_[redacted]");
}

export type UpstreamLogRecord = {
  model: string;
  code: string;
  /** Raw upstream text or our own description: redacted before it is written. */
  detail?: string;
  [key: string]: unknown;
};

export function logUpstream(level: "warn" | "error", record: UpstreamLogRecord): void {
  const line = redact(JSON.stringify({ scope: "chat", ...record }));
  if (level === "error") console.error(line);
  else console.warn(line);
}

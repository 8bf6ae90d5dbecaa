import "server-only";

/**
 * The Hugging Face token, read from the server's environment at call time and handed only to the
 * upstream clients. Never put it in a response, a log line or anything the browser bundle imports.
 */
export type HfToken = `hf_${string}`;

const TOKEN_SHAPE = /^hf_[A-Za-z0-9_-]+$/;
let warnedMalformed = false;

export function readHfToken(env: Record<string, string | undefined> = process.env): HfToken | undefined {
  const raw = env.HF_TOKEN?.trim();
  if (!raw) return undefined;
  if (!TOKEN_SHAPE.test(raw)) {
    if (!warnedMalformed) {
      warnedMalformed = true;
      console.warn("[upstream] HF_TOKEN is set but does not look like a Hugging Face token (hf_...); not using it");
    }
    return undefined;
  }
  return raw as HfToken;
}

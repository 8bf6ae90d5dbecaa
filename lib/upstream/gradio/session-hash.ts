import { randomBytes } from "node:crypto";

/** A fresh Gradio session id. Gradio takes any string; ours are unguessable, 20 base-36ish chars. */
export function newSessionHash(): string {
  return randomBytes(15).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "x");
}

/**
 * Model output is untrusted. The markdown renderer never injects HTML (raw HTML in an answer is
 * shown as text), and links go through `safeHref`: only web and mail links survive.
 */

const ALLOWED_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/** The href to use for a link in model output, or undefined to render it as plain text. */
export function safeHref(href: string | null | undefined): string | undefined {
  if (!href) return undefined;
  // Browsers ignore control characters and whitespace inside a scheme ("java\nscript:").
  const compact = href.replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
  let url: URL;
  try {
    url = new URL(compact);
  } catch {
    return undefined; // relative links point into this app, which the model knows nothing of
  }
  return ALLOWED_PROTOCOLS.has(url.protocol) ? url.href : undefined;
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

/** Decodes the HTML entities markdown allows in text (`&amp;`, `&#39;`, `&#x27;`) into characters. */
export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#\d{1,7}|#x[\da-f]{1,6}|[a-z]{2,6});/gi, (match, body: string) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : "\ufffd";
    }
    return NAMED[body.toLowerCase()] ?? match;
  });
}

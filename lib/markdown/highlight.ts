import { decodeEntities } from "./safe";

/**
 * Syntax highlighting, loaded on first use (highlight.js with its common languages is far
 * bigger than the rest of the page). The result is a tree of class names and text, not HTML:
 * the renderer builds elements from it, so highlighted code never goes through innerHTML.
 */

export type HighlightNode = string | { className: string; children: HighlightNode[] };

type Hljs = typeof import("highlight.js/lib/common").default;
let loading: Promise<Hljs> | undefined;
const load = () => (loading ??= import("highlight.js/lib/common").then((m) => m.default));

const MAX_HIGHLIGHT_CHARS = 100_000;

export async function highlight(code: string, lang: string): Promise<HighlightNode[] | undefined> {
  if (code.length > MAX_HIGHLIGHT_CHARS) return undefined;
  const hljs = await load();
  const language = lang && hljs.getLanguage(lang) ? lang : undefined;
  const html = language ? hljs.highlight(code, { language, ignoreIllegals: true }).value : hljs.highlightAuto(code).value;
  return parseHighlighted(html);
}

/** highlight.js output is escaped text and `<span class="...">` / `</span>`, nothing else. */
export function parseHighlighted(html: string): HighlightNode[] {
  const root: HighlightNode[] = [];
  const stack: HighlightNode[][] = [root];
  const pattern = /<span class="([\w\s-]*)">|<\/span>/g;
  let at = 0;
  for (let match = pattern.exec(html); match; match = pattern.exec(html)) {
    if (match.index > at) stack.at(-1)!.push(decodeEntities(html.slice(at, match.index)));
    at = pattern.lastIndex;
    if (match[1] !== undefined) {
      const node = { className: match[1], children: [] as HighlightNode[] };
      stack.at(-1)!.push(node);
      stack.push(node.children);
    } else if (stack.length > 1) {
      stack.pop();
    }
  }
  if (at < html.length) stack.at(-1)!.push(decodeEntities(html.slice(at)));
  return root;
}

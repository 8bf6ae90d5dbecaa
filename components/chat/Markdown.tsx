"use client";

import { Lexer, type Token, type Tokens } from "marked";
import { memo, useMemo, useState, type ReactNode } from "react";
import { splitBlocks, type BlockSplit } from "@/lib/markdown/blocks";
import { decodeEntities, safeHref } from "@/lib/markdown/safe";
import { CodeBlock } from "./CodeBlock";

/**
 * Safe markdown for untrusted model output. marked only tokenizes; this file turns tokens into
 * React elements, so nothing is ever injected as HTML: raw HTML in an answer shows as text,
 * links keep only http(s)/mailto targets and open in a new tab without an opener, images are
 * shown as links (no request leaves the page because a model wrote an image tag).
 *
 * Finished blocks are parsed once and memoized; only the growing tail is parsed per update.
 */

const CURSOR = "\u258C";

export function Markdown({ text, streaming = false }: { text: string; streaming?: boolean }) {
  // The previous split is kept to extend it (React's "state from the previous render" pattern).
  const [previous, setPrevious] = useState<BlockSplit>(() => splitBlocks(text));
  let split = previous;
  if (previous.text !== text) {
    split = splitBlocks(text, previous);
    setPrevious(split);
  }
  const tail = text.slice(split.tailStart);
  return (
    <div className="markdown">
      <FinishedBlocks blocks={split.blocks} />
      {(tail.trim() !== "" || streaming) && (
        <div className="md-tail">{tail.trim() !== "" ? <Block text={tail} streaming={streaming} /> : <Cursor />}</div>
      )}
    </div>
  );
}

/**
 * Finished blocks in groups of GROUP_SIZE, each group a box of its own: adding a block re-lays
 * out one group and the list of groups, not every block of a long answer. The whole is a box that
 * the growing tail never touches (globals.css: .md-done).
 */
const GROUP_SIZE = 32;

const FinishedBlocks = memo(function FinishedBlocks({ blocks }: { blocks: readonly string[] }) {
  if (blocks.length === 0) return null;
  const groups: number[] = [];
  for (let start = 0; start < blocks.length; start += GROUP_SIZE) groups.push(start);
  return (
    <div className="md-done">
      {groups.map((start) => (
        <BlockGroup key={start} blocks={blocks} start={start} end={Math.min(start + GROUP_SIZE, blocks.length)} />
      ))}
    </div>
  );
});

const BlockGroup = memo(
  function BlockGroup({ blocks, start, end }: { blocks: readonly string[]; start: number; end: number }) {
    const items: ReactNode[] = [];
    for (let i = start; i < end; i++) {
      items.push(
        <div key={i} className="md-block">
          <Block text={blocks[i]!} streaming={false} />
        </div>,
      );
    }
    return <div className="md-group">{items}</div>;
  },
  // Same range and the same block strings: nothing to do (finished blocks never change).
  (a, b) => {
    if (a.start !== b.start || a.end !== b.end) return false;
    for (let i = a.start; i < a.end; i++) if (a.blocks[i] !== b.blocks[i]) return false;
    return true;
  },
);

const Block = memo(function Block({ text, streaming }: { text: string; streaming: boolean }) {
  const tokens = useMemo(() => Lexer.lex(text, { gfm: true, breaks: false }), [text]);
  return renderBlocks(tokens, streaming ? { cursor: true } : {});
});

type Ctx = { cursor?: boolean };

function Cursor() {
  return (
    <span aria-hidden="true" className="streaming-cursor">
      {CURSOR}
    </span>
  );
}

/** Passes the cursor to the last meaningful token only. */
function renderBlocks(tokens: Token[], ctx: Ctx, tight = false): ReactNode {
  const last = lastIndex(tokens);
  const out = tokens.map((token, i) => renderBlock(token, i, i === last ? ctx : {}, tight));
  if (ctx.cursor && last === -1) out.push(<Cursor key="cursor" />);
  return out;
}

function lastIndex(tokens: Token[]) {
  for (let i = tokens.length - 1; i >= 0; i--) if (tokens[i]!.type !== "space" && tokens[i]!.type !== "def") return i;
  return -1;
}

function renderBlock(token: Token, key: number, ctx: Ctx, tight: boolean): ReactNode {
  switch (token.type) {
    case "space":
    case "def":
      return null;
    case "paragraph":
      return <p key={key}>{renderInline((token as Tokens.Paragraph).tokens, ctx)}</p>;
    case "text": {
      const t = token as Tokens.Text;
      const content = t.tokens ? renderInline(t.tokens, ctx) : [decodeEntities(t.text), ctx.cursor ? <Cursor key="c" /> : null];
      return tight ? <span key={key}>{content}</span> : <p key={key}>{content}</p>;
    }
    case "heading": {
      const t = token as Tokens.Heading;
      // The page's h1 is the model; answers' headings sit below the message level.
      const Tag = (["h3", "h4", "h5", "h6", "h6", "h6"] as const)[t.depth - 1] ?? "h6";
      return <Tag key={key}>{renderInline(t.tokens, ctx)}</Tag>;
    }
    case "code": {
      const t = token as Tokens.Code;
      return (
        <CodeBlock key={key} code={t.text} lang={t.lang?.split(/\s/)[0] ?? ""} streaming={!!ctx.cursor}>
          {ctx.cursor && <Cursor />}
        </CodeBlock>
      );
    }
    case "blockquote":
      return <blockquote key={key}>{renderBlocks((token as Tokens.Blockquote).tokens, ctx)}</blockquote>;
    case "list": {
      const t = token as Tokens.List;
      const items = t.items.map((item, i) => (
        <li key={i}>
          {item.task && <input type="checkbox" checked={!!item.checked} disabled aria-label={item.checked ? "done" : "to do"} className="mr-1.5 align-middle" />}
          {renderBlocks(item.tokens, i === t.items.length - 1 ? ctx : {}, !t.loose)}
        </li>
      ));
      return t.ordered ? (
        <ol key={key} start={typeof t.start === "number" && t.start !== 1 ? t.start : undefined}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      );
    }
    case "table": {
      const t = token as Tokens.Table;
      const align = (i: number) => t.align[i] ?? undefined;
      return (
        <div key={key} className="table-wrap" tabIndex={0} role="group" aria-label="Table">
          <table>
            <thead>
              <tr>
                {t.header.map((cell, i) => (
                  <th key={i} style={{ textAlign: align(i) }}>
                    {renderInline(cell.tokens, {})}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {t.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, i) => (
                    <td key={i} style={{ textAlign: align(i) }}>
                      {renderInline(cell.tokens, r === t.rows.length - 1 && i === row.length - 1 ? ctx : {})}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    }
    case "hr":
      return <hr key={key} />;
    case "html":
      // Raw HTML from a model is text, never markup.
      return (
        <p key={key} className="raw-html">
          {(token as Tokens.HTML).text}
          {ctx.cursor && <Cursor />}
        </p>
      );
    default:
      return (
        <p key={key}>
          {"raw" in token ? String(token.raw) : ""}
          {ctx.cursor && <Cursor />}
        </p>
      );
  }
}

function renderInline(tokens: Token[] | undefined, ctx: Ctx): ReactNode {
  const out: ReactNode[] = (tokens ?? []).map((token, i) => renderInlineToken(token, i));
  if (ctx.cursor) out.push(<Cursor key="cursor" />);
  return out;
}

function renderInlineToken(token: Token, key: number): ReactNode {
  switch (token.type) {
    case "text":
    case "escape": {
      const t = token as Tokens.Text;
      return t.tokens ? <span key={key}>{renderInline(t.tokens, {})}</span> : decodeEntities(t.text);
    }
    case "strong":
      return <strong key={key}>{renderInline((token as Tokens.Strong).tokens, {})}</strong>;
    case "em":
      return <em key={key}>{renderInline((token as Tokens.Em).tokens, {})}</em>;
    case "del":
      return <del key={key}>{renderInline((token as Tokens.Del).tokens, {})}</del>;
    case "codespan":
      return <code key={key}>{(token as Tokens.Codespan).text}</code>;
    case "br":
      return <br key={key} />;
    case "link": {
      const t = token as Tokens.Link;
      const href = safeHref(t.href);
      const children = renderInline(t.tokens, {});
      if (!href) return <span key={key}>{children}</span>;
      return (
        <a key={key} href={href} title={t.title ?? undefined} target="_blank" rel="noopener noreferrer nofollow">
          {children}
        </a>
      );
    }
    case "image": {
      const t = token as Tokens.Image;
      const href = safeHref(t.href);
      const label = `Image: ${decodeEntities(t.text) || "untitled"}`;
      return href ? (
        <a key={key} href={href} target="_blank" rel="noopener noreferrer nofollow">
          {label}
        </a>
      ) : (
        <span key={key}>{label}</span>
      );
    }
    case "html":
      return <span key={key}>{(token as Tokens.HTML).text}</span>;
    default:
      return "raw" in token ? String(token.raw) : null;
  }
}

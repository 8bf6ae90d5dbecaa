"use client";

import { useEffect, useState, type ReactNode } from "react";
import { highlight, type HighlightNode } from "@/lib/markdown/highlight";
import { CopyButton } from "@/components/ui/CopyButton";

/** A fenced code block: plain while it streams, highlighted (lazily) once finished. */
export function CodeBlock({ code, lang, streaming, children }: { code: string; lang: string; streaming: boolean; children?: ReactNode }) {
  const [highlighted, setHighlighted] = useState<{ code: string; nodes: HighlightNode[] } | undefined>();
  useEffect(() => {
    if (streaming) return;
    let live = true;
    highlight(code, lang).then(
      (nodes) => live && nodes && setHighlighted({ code, nodes }),
      () => undefined, // no highlighting is fine: the code stays readable
    );
    return () => {
      live = false;
    };
  }, [code, lang, streaming]);

  return (
    <div className="code-block">
      <div className="code-head">
        <span>{lang || "code"}</span>
        {!streaming && <CopyButton text={code} label="Copy code" />}
      </div>
      <pre tabIndex={0} aria-label={`${lang || "Code"} code`}>
        <code className="hljs">
          {highlighted?.code === code ? renderNodes(highlighted.nodes) : code}
          {children}
        </code>
      </pre>
    </div>
  );
}

function renderNodes(nodes: HighlightNode[]): ReactNode[] {
  return nodes.map((node, i) =>
    typeof node === "string" ? (
      node
    ) : (
      <span key={i} className={node.className}>
        {renderNodes(node.children)}
      </span>
    ),
  );
}

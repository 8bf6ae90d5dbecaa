"use client";

import { useEffect, useRef, type ReactNode } from "react";
import { CloseIcon } from "./icons";

/**
 * A side panel: part of the page from `breakpoint` up, an overlay drawer below it. While open as
 * a drawer it takes focus, closes on Escape or a click outside, and gives focus back.
 */
export function Drawer({
  id,
  label,
  side,
  open,
  onClose,
  className = "",
  children,
}: {
  id: string;
  label: string;
  side: "left" | "right";
  open: boolean;
  onClose: () => void;
  className?: string;
  children: ReactNode;
}) {
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!open) return;
    const previous = document.activeElement as HTMLElement | null;
    panel.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      previous?.focus?.();
    };
  }, [open, onClose]);

  return (
    <>
      {open && <div className="fixed inset-0 z-30 bg-black/40 drawer-backdrop" aria-hidden="true" onClick={onClose} />}
      <aside
        id={id}
        ref={panel}
        aria-label={label}
        tabIndex={-1}
        data-open={open}
        data-side={side}
        className={`drawer ${className}`}
      >
        <div className="drawer-close">
          <button type="button" className="icon-button" aria-label={`Close ${label.toLowerCase()}`} onClick={onClose}>
            <CloseIcon />
          </button>
        </div>
        {children}
      </aside>
    </>
  );
}

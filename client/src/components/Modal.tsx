import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';

interface ModalProps {
  title: string;
  children: ReactNode;
  /** What to focus first; the dialog itself when absent. */
  initialFocus?: RefObject<HTMLElement | null>;
  /** Labels the dialog's description (e.g. the body of a confirmation). */
  describedBy?: string;
  /** A wider dialog, for forms and long content. */
  wide?: boolean;
  onClose: () => void;
}

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** A modal dialog: focus starts inside and stays there, Escape or the backdrop closes it, focus returns after. */
export function Modal({ title, children, initialFocus, describedBy, wide = false, onClose }: ModalProps) {
  const titleId = useId();
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    (initialFocus?.current ?? dialog.current)?.focus();
    return () => previous?.focus?.();
  }, [initialFocus]); // a ref: focus moves once, when the dialog opens

  // On the document, so that Escape works even when the focused control went away (or got disabled).
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  });
  useEffect(() => {
    const onEscape = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      close.current();
    };
    document.addEventListener('keydown', onEscape);
    return () => document.removeEventListener('keydown', onEscape);
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Tab') trapFocus(event, dialog.current);
  };

  return createPortal(
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={dialog}
        className={wide ? 'dialog dialog-wide' : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={describedBy}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        {children}
      </div>
    </div>,
    document.body,
  );
}

interface DialogActionsProps {
  /** Why the last try failed, announced above the buttons. */
  error?: string | null;
  /** For a row that needs more than the usual layout (e.g. room to wrap). */
  className?: string;
  children: ReactNode;
}

/** The end of a dialog: the error of the last try, if any, then the row of buttons. */
export function DialogActions({ error = null, className, children }: DialogActionsProps) {
  return (
    <>
      {error && (
        <p className="dialog-error" role="alert">
          {error}
        </p>
      )}
      <div className={className ? `dialog-actions ${className}` : 'dialog-actions'}>{children}</div>
    </>
  );
}

function trapFocus(event: KeyboardEvent, container: HTMLElement | null) {
  const items = container ? Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE)) : [];
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last) return;
  if (event.shiftKey && (document.activeElement === first || document.activeElement === container)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

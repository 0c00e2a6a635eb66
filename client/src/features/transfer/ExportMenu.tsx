import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { DownloadIcon } from '../../components/icons';
import { useAttempt } from '../../components/useAttempt';
import { exportSession, type ExportFormat } from './download';

const FORMATS: ReadonlyArray<[ExportFormat, string]> = [
  ['json', 'JSON (can be imported again)'],
  ['markdown', 'Markdown'],
  ['pdf', 'PDF'],
];

interface ExportMenuProps {
  sessionId: string;
  /** A chat can be exported once the server has it: after its first turn. */
  saved: boolean;
}

/** "Export" in the chat header: a menu of the formats; the chosen one downloads, an error shows below. */
export function ExportMenu({ sessionId, saved }: ExportMenuProps) {
  const [open, setOpen] = useState(false);
  const download = useAttempt((format: ExportFormat) => exportSession(sessionId, format));
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const menuId = useId();

  // A click or focus anywhere else closes the menu.
  useEffect(() => {
    if (!open) return;
    const away = (event: Event) => root.current?.contains(event.target as Node) || setOpen(false);
    document.addEventListener('mousedown', away);
    document.addEventListener('focusin', away);
    root.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    return () => {
      document.removeEventListener('mousedown', away);
      document.removeEventListener('focusin', away);
    };
  }, [open]);

  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };

  const pick = (format: ExportFormat) => {
    close();
    void download.run(format);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const items = Array.from(root.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
    const at = items.indexOf(document.activeElement as HTMLElement);
    const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (event.key === 'Escape') {
      event.stopPropagation();
      close();
    } else if (step !== undefined && items.length > 0) {
      event.preventDefault();
      items[(at + step + items.length) % items.length]?.focus();
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      items[event.key === 'Home' ? 0 : items.length - 1]?.focus();
    }
  };

  return (
    <div ref={root} className="menu-anchor" onKeyDown={open ? onKeyDown : undefined}>
      <button
        ref={toggle}
        type="button"
        className="button button-ghost"
        aria-label="Export"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        title={saved ? 'Export this chat' : 'Send a first message to export this chat'}
        disabled={!saved || download.busy}
        onClick={() => setOpen((o) => !o)}
      >
        <DownloadIcon width={16} height={16} />
        <span className="button-label">{download.busy ? 'Exporting…' : 'Export'}</span>
      </button>
      {open && (
        <div id={menuId} className="menu" role="menu" aria-label="Export as">
          {FORMATS.map(([format, label]) => (
            <button key={format} type="button" role="menuitem" className="menu-item" onClick={() => pick(format)}>
              {label}
            </button>
          ))}
        </div>
      )}
      {download.error && (
        <p className="menu-error" role="alert">
          {download.error}
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={download.dismiss}>
            ×
          </button>
        </p>
      )}
    </div>
  );
}

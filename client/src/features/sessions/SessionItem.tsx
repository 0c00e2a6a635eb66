import { memo, useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { SessionChange, SessionSummary } from '../../api/types';
import { MoreIcon, PinIcon, TrashIcon } from '../../components/icons';
import { parseTags } from './organise';
import { relativeTime } from './relativeTime';

interface SessionItemProps {
  session: SessionSummary;
  current: boolean;
  onSelect: (id: string) => void;
  onDelete: (session: SessionSummary) => void;
  /** Reads the session's current version when its menu opens. */
  onMenu: (sessionId: string) => void;
  /** Resolves when the change is saved (or its failure was reported). */
  onOrganise: (sessionId: string, change: SessionChange) => Promise<void>;
  /** Select mode: whether the chat is ticked (undefined outside select mode). */
  checked?: boolean;
  onCheck?: (sessionId: string) => void;
}

type Editing = 'name' | 'tags' | null;

function countLabel(count: number): string {
  return `${count} ${count === 1 ? 'message' : 'messages'}`;
}

export const SessionItem = memo(function SessionItem({ session, current, onSelect, onDelete, onMenu, onOrganise, checked, onCheck }: SessionItemProps) {
  const nameId = useId();
  const [menuOpen, setMenuOpen] = useState(false);
  const [editing, setEditing] = useState<Editing>(null);
  const name = session.chat_name || 'Untitled chat';
  const organise = (change: SessionChange) => {
    setMenuOpen(false);
    setEditing(null);
    void onOrganise(session.session_id, change);
  };

  const summary = (
    <>
      <span id={nameId} className="session-name">
        {session.pinned && <PinIcon width={12} height={12} className="session-pin" aria-label="Pinned" />}
        {name}
      </span>
      <span className="session-meta">
        <time dateTime={session.last_activity}>{relativeTime(session.last_activity)}</time>
        <span aria-hidden="true"> · </span>
        <span>{countLabel(session.message_count)}</span>
      </span>
      {session.tags.length > 0 && (
        <span className="session-tags">
          {session.tags.map((tag) => (
            <span key={tag} className="tag-chip">
              {tag}
            </span>
          ))}
        </span>
      )}
    </>
  );

  if (checked !== undefined) {
    return (
      <li className="session-item" data-current={current || undefined} data-checked={checked || undefined}>
        <label className="session-check">
          <input type="checkbox" checked={checked} aria-labelledby={nameId} onChange={() => onCheck?.(session.session_id)} />
          <span className="session-select">{summary}</span>
        </label>
      </li>
    );
  }

  if (editing) {
    return (
      <li className="session-item" data-current={current || undefined}>
        <InlineEditor
          label={editing === 'name' ? 'Chat name' : 'Tags, separated by commas'}
          initial={editing === 'name' ? session.chat_name : session.tags.join(', ')}
          onSave={(text) => organise(editing === 'name' ? { chat_name: text } : { tags: parseTags(text) })}
          onCancel={() => setEditing(null)}
        />
      </li>
    );
  }

  return (
    <li className="session-item" data-current={current || undefined}>
      <button type="button" className="session-select" aria-current={current ? 'page' : undefined} onClick={() => onSelect(session.session_id)}>
        {summary}
      </button>
      <ItemMenu
        open={menuOpen}
        describedBy={nameId}
        onToggle={(open) => {
          setMenuOpen(open);
          if (open) onMenu(session.session_id);
        }}
        items={[
          ['Rename', () => (setMenuOpen(false), setEditing('name'))],
          [session.pinned ? 'Unpin' : 'Pin', () => organise({ pinned: !session.pinned })],
          [session.archived ? 'Unarchive' : 'Archive', () => organise({ archived: !session.archived })],
          ['Edit tags', () => (setMenuOpen(false), setEditing('tags'))],
        ]}
      />
      <button
        type="button"
        className="icon-button session-delete"
        aria-label="Delete"
        aria-describedby={nameId}
        title="Delete chat"
        onClick={() => onDelete(session)}
      >
        <TrashIcon width={16} height={16} />
      </button>
    </li>
  );
});

interface ItemMenuProps {
  open: boolean;
  describedBy: string;
  onToggle: (open: boolean) => void;
  items: [string, () => void][];
}

/** The "…" button and its menu; Escape or a click elsewhere closes it. */
function ItemMenu({ open, describedBy, onToggle, items }: ItemMenuProps) {
  const root = useRef<HTMLDivElement>(null);
  const menuId = useId();
  // The latest callback, so that re-renders while the menu is open do not move the focus back.
  const toggle = useRef(onToggle);
  useEffect(() => {
    toggle.current = onToggle;
  });
  useEffect(() => {
    if (!open) return;
    root.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    const away = (e: MouseEvent) => !root.current?.contains(e.target as Node) && toggle.current(false);
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    onToggle(false);
    root.current?.querySelector<HTMLButtonElement>('button')?.focus();
  };
  return (
    <div ref={root} className="session-menu" onKeyDown={onKeyDown}>
      <button
        type="button"
        className="icon-button session-more"
        aria-label="Chat actions"
        aria-describedby={describedBy}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        title="Rename, pin, archive, tag"
        onClick={() => onToggle(!open)}
      >
        <MoreIcon width={16} height={16} />
      </button>
      {open && (
        <div id={menuId} role="menu" className="menu menu-popover">
          {items.map(([label, act]) => (
            <button key={label} type="button" role="menuitem" className="menu-item" onClick={act}>
              {label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

interface InlineEditorProps {
  label: string;
  initial: string;
  onSave: (text: string) => void;
  onCancel: () => void;
}

/** One line edited in place: Enter saves, Escape (or leaving it) cancels. */
function InlineEditor({ label, initial, onSave, onCancel }: InlineEditorProps) {
  const [text, setText] = useState(initial);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim() === initial.trim()) onCancel();
    else onSave(text);
  };
  return (
    <form className="session-edit" onSubmit={submit}>
      <input
        aria-label={label}
        placeholder={label}
        value={text}
        autoFocus
        onChange={(e) => setText(e.target.value)}
        onBlur={onCancel}
        onKeyDown={(e) => {
          if (e.key !== 'Escape') return;
          e.stopPropagation();
          onCancel();
        }}
      />
    </form>
  );
}

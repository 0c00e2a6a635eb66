import { useId, useRef, useState } from 'react';
import { errorMessage } from '../../api/client';
import { DialogActions, Modal } from '../../components/Modal';
import { createLink, linksMadeFor, revokeLink, type ShareLink } from './links';

interface ShareDialogProps {
  sessionId: string;
  chatName: string;
  onClose: () => void;
}

const timeOf = (at: Date) => at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/**
 * Makes a read-only link to the conversation as it is now, shows it with a copy button, and revokes
 * the links made here. The server keeps no list of them to show (see links.ts).
 */
export function ShareDialog({ sessionId, chatName, onClose }: ShareDialogProps) {
  const bodyId = useId();
  const [links, setLinks] = useState<ShareLink[]>(() => linksMadeFor(sessionId));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const create = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLUListElement>(null);

  const make = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const link = await createLink(sessionId);
      setLinks(linksMadeFor(sessionId));
      setStatus('Link created. Copy it to share the chat.');
      // The new link's copy button: the next thing a person does.
      requestAnimationFrame(() => list.current?.querySelector<HTMLElement>(`[data-share="${link.shareId}"] .share-copy`)?.focus());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (link: ShareLink) => {
    setError(null);
    try {
      await revokeLink(sessionId, link.shareId);
      setLinks(linksMadeFor(sessionId));
      setStatus('Link revoked: it no longer opens the chat.');
      create.current?.focus();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <Modal title="Share chat" describedBy={bodyId} initialFocus={create} onClose={onClose}>
      <p id={bodyId} className="dialog-body">
        Anyone with a link can read “{chatName}” as it is now, without signing in. Messages sent later are not shared, and your name is not shown.
      </p>
      {links.length > 0 && (
        <ul ref={list} className="share-links" aria-label="Links to this chat">
          {links.map((link) => (
            <ShareLinkRow key={link.shareId} link={link} onRevoke={() => void revoke(link)} onCopied={setStatus} />
          ))}
        </ul>
      )}
      <p className="visually-hidden" role="status">
        {status}
      </p>
      <DialogActions error={error}>
        <button type="button" className="button" onClick={onClose}>
          Done
        </button>
        {/* aria-disabled, not disabled: a disabled button would drop the focus out of the dialog. */}
        <button ref={create} type="button" className="button button-primary" aria-disabled={busy} onClick={() => void make()}>
          {busy ? 'Creating…' : links.length === 0 ? 'Create link' : 'Create a new link'}
        </button>
      </DialogActions>
    </Modal>
  );
}

function ShareLinkRow({ link, onRevoke, onCopied }: { link: ShareLink; onRevoke: () => void; onCopied: (status: string) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link.url);
      setCopied(true);
      onCopied('Link copied.');
    } catch {
      // No clipboard (a page served over plain http): the link is selected for a keyboard copy.
      input.current?.select();
      onCopied('Press Ctrl+C (⌘C on a Mac) to copy the selected link.');
    }
  };
  return (
    <li className="share-link" data-share={link.shareId}>
      <input ref={input} className="share-url" readOnly value={link.url} aria-label={`Link made at ${timeOf(link.createdAt)}`} onFocus={(e) => e.target.select()} />
      <div className="share-buttons">
        <button type="button" className="button share-copy" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy link'}
        </button>
        <button type="button" className="button button-ghost" onClick={onRevoke}>
          Revoke
        </button>
      </div>
    </li>
  );
}

import { useState } from 'react';
import { ShareIcon } from '../../components/icons';
import { ShareDialog } from './ShareDialog';

interface ShareButtonProps {
  sessionId: string;
  chatName: string;
  /** A chat can be shared once the server has some of its messages. */
  canShare: boolean;
}

/** "Share" in the chat header: opens the dialog that makes, copies and revokes links. */
export function ShareButton({ sessionId, chatName, canShare }: ShareButtonProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="button button-ghost"
        aria-label="Share"
        aria-haspopup="dialog"
        title={canShare ? 'Share a read-only link to this chat' : 'Send a first message to share this chat'}
        disabled={!canShare}
        onClick={() => setOpen(true)}
      >
        <ShareIcon width={16} height={16} />
        <span className="button-label">Share</span>
      </button>
      {open && <ShareDialog sessionId={sessionId} chatName={chatName} onClose={() => setOpen(false)} />}
    </>
  );
}

import { useState } from 'react';
import { SlidersIcon } from '../../components/icons';
import { SettingsDialog } from './SettingsDialog';

interface SettingsButtonProps {
  sessionId: string;
  /** A chat gets settings once the server has it: after its first turn. */
  saved: boolean;
  onSaved: () => void;
}

export function SettingsButton({ sessionId, saved, onSaved }: SettingsButtonProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="button button-ghost"
        aria-label="Chat settings"
        aria-haspopup="dialog"
        title={saved ? 'Chat settings' : 'Send a first message to change this chat’s settings'}
        disabled={!saved}
        onClick={() => setOpen(true)}
      >
        <SlidersIcon width={16} height={16} />
        <span className="button-label">Settings</span>
      </button>
      {open && <SettingsDialog sessionId={sessionId} onSaved={onSaved} onClose={() => setOpen(false)} />}
    </>
  );
}

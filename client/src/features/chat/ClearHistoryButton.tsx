import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EraseIcon } from '../../components/icons';

interface ClearHistoryButtonProps {
  chatName: string;
  disabled: boolean;
  onClear: () => Promise<void>;
}

/** "Clear history", after a confirmation; a failure is shown in the dialog, which stays open for another try. */
export function ClearHistoryButton({ chatName, disabled, onClear }: ClearHistoryButtonProps) {
  const [confirming, setConfirming] = useState(false);
  const clear = async () => {
    await onClear();
    setConfirming(false);
  };

  return (
    <>
      <button
        type="button"
        className="button button-ghost"
        aria-label="Clear history"
        title="Clear history"
        onClick={() => setConfirming(true)}
        disabled={disabled}
      >
        <EraseIcon width={16} height={16} />
        <span className="button-label">Clear history</span>
      </button>
      {confirming && (
        <ConfirmDialog title="Clear this chat’s history?" confirmLabel="Clear history" danger onConfirm={clear} onCancel={() => setConfirming(false)}>
          <p>All messages of “{chatName}” will be deleted. The chat stays in the sidebar, empty.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

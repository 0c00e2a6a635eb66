import { useId, useRef, type ReactNode } from 'react';
import { DialogActions, Modal } from './Modal';
import { useAttempt } from './useAttempt';

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  /** Styles the confirm button as destructive. */
  danger?: boolean;
  /** Busy for a reason the caller tracks; the dialog is also busy while its own confirmation runs. */
  busy?: boolean;
  /** May return a promise: until it settles the dialog is busy; if it fails, the dialog shows why and stays open for another try. */
  onConfirm: () => void | Promise<void>;
  onCancel: () => void;
}

/** A modal confirmation: focus starts on Cancel, stays inside, Escape or the backdrop cancels, focus returns after. */
export function ConfirmDialog({ title, children, confirmLabel, cancelLabel = 'Cancel', danger = false, busy = false, onConfirm, onCancel }: ConfirmDialogProps) {
  const bodyId = useId();
  const cancel = useRef<HTMLButtonElement>(null);
  const confirm = useAttempt(onConfirm);

  return (
    <Modal title={title} initialFocus={cancel} describedBy={bodyId} onClose={onCancel}>
      <div id={bodyId} className="dialog-body">
        {children}
      </div>
      <DialogActions error={confirm.error}>
        <button ref={cancel} type="button" className="button" onClick={onCancel}>
          {cancelLabel}
        </button>
        <button type="button" className={danger ? 'button button-danger' : 'button button-primary'} onClick={() => void confirm.run()} disabled={busy || confirm.busy}>
          {confirmLabel}
        </button>
      </DialogActions>
    </Modal>
  );
}

import type { SessionSummary } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';

interface DeleteSessionDialogProps {
  session: SessionSummary;
  onDelete: (sessionId: string) => Promise<void>;
  onClose: () => void;
}

/** Confirms the deletion of a chat; a failure is shown in the dialog, which stays open for another try. */
export function DeleteSessionDialog({ session, onDelete, onClose }: DeleteSessionDialogProps) {
  const count = session.message_count;
  const confirm = async () => {
    await onDelete(session.session_id);
    onClose();
  };

  return (
    <ConfirmDialog title="Delete chat?" confirmLabel="Delete" danger onConfirm={confirm} onCancel={onClose}>
      <p>
        “{session.chat_name || 'Untitled chat'}” and its {count} {count === 1 ? 'message' : 'messages'} will be deleted for good.
      </p>
    </ConfirmDialog>
  );
}

import { DialogButton } from '../../components/DialogButton';
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
  return (
    <DialogButton
      label="Share"
      icon={<ShareIcon width={16} height={16} />}
      title={canShare ? 'Share a read-only link to this chat' : 'Send a first message to share this chat'}
      disabled={!canShare}
      dialog={(close) => <ShareDialog sessionId={sessionId} chatName={chatName} onClose={close} />}
    />
  );
}
